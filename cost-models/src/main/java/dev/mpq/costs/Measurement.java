package dev.mpq.costs;

import dev.mpq.core.Precision;
import java.util.Objects;

/**
 * One measured latency: a layer shape run in a precision over a batch.
 *
 * @param shape the layer shape (stride 0 = unknown)
 * @param precision the precision measured
 * @param batch samples (images or tokens) per step
 * @param latencySeconds the measured time of one step; tables imported in other units say so in
 *     {@code source}
 * @param source where the figure comes from (file and line, worker run)
 */
public record Measurement(LayerShape shape, Precision precision, int batch, double latencySeconds, String source) {

    public Measurement {
        Objects.requireNonNull(shape, "A measurement needs a layer shape.");
        Objects.requireNonNull(precision, "A measurement needs a precision.");
        if (batch < 1) {
            throw new IllegalArgumentException("Measurement of %s has batch %d; give the samples per step (>= 1)."
                    .formatted(shape.label(), batch));
        }
        if (!(latencySeconds > 0) || !Double.isFinite(latencySeconds)) {
            throw new IllegalArgumentException("Measurement of %s %s has latency %s; it must be a finite time > 0."
                    .formatted(shape.label(), precision.id(), latencySeconds));
        }
        source = source == null ? "" : source;
    }
}
