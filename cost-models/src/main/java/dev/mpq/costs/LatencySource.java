package dev.mpq.costs;

/** Where a layer's latency comes from. */
public enum LatencySource {
    /** A measured table entry for the layer's shape, precision and batch. */
    MEASURED("measured"),
    /** The roofline model with the device's (calibrated or catalogue) terms. */
    PREDICTED("predicted");

    private final String id;

    LatencySource(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }
}
