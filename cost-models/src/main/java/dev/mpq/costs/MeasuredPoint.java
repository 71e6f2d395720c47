package dev.mpq.costs;

import dev.mpq.core.LayerKind;
import dev.mpq.core.Precision;
import java.util.List;

/**
 * A measured latency as an import document holds it (plain fields, e.g. one JSON object of an upload):
 * {@code {"kind": "conv", "weightShape": [64, 64, 3, 3], "macs": 115605504, "stride": 1,
 * "precision": "int8:int8", "batch": 8, "latencySeconds": 1.2e-4, "source": "..."}}. {@code
 * parameters} may be 0 (the product of the weight shape); {@code stride} may be null (unknown).
 */
public record MeasuredPoint(
        String kind,
        List<Long> weightShape,
        long parameters,
        long macs,
        Integer stride,
        String precision,
        int batch,
        double latencySeconds,
        String source) {

    /** The typed measurement, or an error that names the offending field. */
    public Measurement toMeasurement() {
        LayerKind layerKind;
        try {
            layerKind = LayerKind.fromId(kind);
        } catch (IllegalArgumentException e) {
            throw new InvalidPoint("kind", e.getMessage());
        }
        long params = parameters;
        if (params == 0 && weightShape != null && !weightShape.isEmpty()) {
            params = 1;
            for (Long dim : weightShape) {
                if (dim == null || dim <= 0) {
                    throw new InvalidPoint("weightShape", "dimension %s is not a positive integer".formatted(dim));
                }
                params = Math.multiplyExact(params, dim);
            }
        }
        LayerShape shape;
        try {
            shape = new LayerShape(layerKind, weightShape, params, macs, stride == null ? 0 : stride);
        } catch (IllegalArgumentException e) {
            throw new InvalidPoint("weightShape", e.getMessage());
        }
        Precision parsed;
        try {
            parsed = Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            throw new InvalidPoint("precision", e.getMessage());
        }
        try {
            return new Measurement(shape, parsed, batch, latencySeconds, source);
        } catch (IllegalArgumentException e) {
            throw new InvalidPoint(batch < 1 ? "batch" : "latencySeconds", e.getMessage());
        }
    }

    /** A point that cannot be read; {@link #field()} names the field. */
    public static final class InvalidPoint extends IllegalArgumentException {
        private final String field;

        public InvalidPoint(String field, String message) {
            super(field + ": " + message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
