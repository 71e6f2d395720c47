package dev.mpq.sensitivity.format;

/**
 * A two's-complement integer element with an implied scale of 2^-fractionBits, used by MXINT8 (OCP
 * MX v1.0: 8 bits, scale 2^-6, values k/64). The range is symmetric: codes -(2^(bits-1) - 1) ..
 * 2^(bits-1) - 1 (the spec allows the extra code -2^(bits-1) to stay unused; we never produce it),
 * so the largest magnitude of MXINT8 is 127/64 = 1.984375 and emax = 0.
 */
public record FixedPointElement(String name, int bits, int fractionBits) implements Element {

    public static final FixedPointElement MXINT8 = new FixedPointElement("int8", 8, 6);

    public FixedPointElement {
        if (bits < 2 || bits > 16 || fractionBits < 0 || fractionBits >= bits) {
            throw new IllegalArgumentException(
                    "Fixed-point element (%s) with %d bits and %d fraction bits; use 2..16 bits and 0..bits-1 fraction bits."
                            .formatted(name, bits, fractionBits));
        }
    }

    /** Largest code, 2^(bits-1) - 1. */
    public int maxCode() {
        return (1 << (bits - 1)) - 1;
    }

    @Override
    public double round(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double unit = Math.scalb(1.0, -fractionBits);
        double k = Math.rint(x / unit);
        k = Math.max(-maxCode(), Math.min(maxCode(), k));
        return k * unit;
    }

    @Override
    public double maxFinite() {
        return maxCode() * Math.scalb(1.0, -fractionBits);
    }

    @Override
    public int emax() {
        return Math.getExponent(maxFinite());
    }
}
