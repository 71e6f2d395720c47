package dev.mpq.costs;

import java.util.Objects;

/**
 * How a device runs one precision: natively in a math mode, by converting (dequantizing or widening)
 * the weights inside the kernel before the product in a math mode, or not at all.
 *
 * @param kind native, dequantize-then-compute, or excluded
 * @param mode the math mode of the product; null when excluded
 * @param dequantOpsPerWeight element-wise operations per weight element per conversion (0 when
 *     native)
 * @param note for excluded precisions the reason and what to use instead; otherwise how it runs
 */
public record Execution(Kind kind, MathMode mode, double dequantOpsPerWeight, String note) {

    /** The three ways a precision can fare on a device. */
    public enum Kind {
        /** Weights and activations are operands of the device's matrix units as stored. */
        NATIVE("native"),
        /** Weights are converted in the kernel (dequantized or widened), then multiplied. */
        DEQUANTIZE("dequantize"),
        /** The device cannot run the precision; it is left out of the device's search space. */
        EXCLUDED("excluded");

        private final String id;

        Kind(String id) {
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

    public Execution {
        Objects.requireNonNull(kind, "An execution needs a kind.");
        note = note == null ? "" : note;
        if (kind == Kind.EXCLUDED) {
            if (note.isBlank()) {
                throw new IllegalArgumentException("An excluded precision needs a reason.");
            }
            mode = null;
            dequantOpsPerWeight = 0;
        } else {
            Objects.requireNonNull(mode, () -> "A %s execution needs a math mode.".formatted(kind));
            if (!(dequantOpsPerWeight >= 0) || !Double.isFinite(dequantOpsPerWeight)) {
                throw new IllegalArgumentException(
                        "Dequantization ops per weight %s must be finite and >= 0.".formatted(dequantOpsPerWeight));
            }
            if (kind == Kind.NATIVE) {
                dequantOpsPerWeight = 0;
            }
        }
    }

    public static Execution natively(MathMode mode, String note) {
        return new Execution(Kind.NATIVE, mode, 0, note);
    }

    public static Execution dequantized(MathMode mode, double opsPerWeight, String note) {
        return new Execution(Kind.DEQUANTIZE, mode, opsPerWeight, note);
    }

    public static Execution excluded(String reason) {
        return new Execution(Kind.EXCLUDED, null, 0, reason);
    }

    public boolean isExcluded() {
        return kind == Kind.EXCLUDED;
    }
}
