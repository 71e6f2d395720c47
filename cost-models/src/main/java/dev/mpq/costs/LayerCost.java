package dev.mpq.costs;

/**
 * The cost of one layer in one precision on one device: either costed (latency, bytes, BOPs, and
 * whether the latency was measured or predicted) or excluded with the reason.
 */
public sealed interface LayerCost permits LayerCost.Costed, LayerCost.Excluded {

    /** The precision id, e.g. {@code int4:int4} or {@code int4-g128}. */
    String precision();

    /** False for an excluded precision. */
    boolean runnable();

    /**
     * A costed layer.
     *
     * @param precision the precision id
     * @param latencySeconds the latency of one step over the batch (measured where the table has it)
     * @param source measured or predicted
     * @param predictedSeconds the model's prediction (equal to the latency when predicted)
     * @param weightBytes exact weight bytes, scales and zero points included
     * @param bops bit operations per sample (MACs x weight element bits x activation element bits)
     * @param execution how the device runs the precision
     * @param breakdown the model's terms after efficiencies
     * @param note how the latency was found (table source, ambiguity, calibration)
     */
    record Costed(
            String precision,
            double latencySeconds,
            LatencySource source,
            double predictedSeconds,
            long weightBytes,
            long bops,
            Execution execution,
            Breakdown breakdown,
            String note)
            implements LayerCost {

        public Costed {
            if (!(latencySeconds >= 0) || !Double.isFinite(latencySeconds)) {
                throw new IllegalArgumentException(
                        "Latency %s s of precision %s is not a finite time >= 0.".formatted(latencySeconds, precision));
            }
            note = note == null ? "" : note;
        }

        @Override
        public boolean runnable() {
            return true;
        }
    }

    /** A precision the device cannot run, with the reason and what to use instead. */
    record Excluded(String precision, String reason) implements LayerCost {

        @Override
        public boolean runnable() {
            return false;
        }
    }

    /**
     * The model's latency terms in seconds after efficiencies: latency = max(compute + dequant,
     * memory) + overhead.
     */
    record Breakdown(double computeSeconds, double dequantSeconds, double memorySeconds, double overheadSeconds) {

        /** Whether memory traffic, not arithmetic, sets the time. */
        public boolean memoryBound() {
            return memorySeconds > computeSeconds + dequantSeconds;
        }

        public double totalSeconds() {
            return Math.max(computeSeconds + dequantSeconds, memorySeconds) + overheadSeconds;
        }
    }
}
