package dev.mpq.sensitivity.format;

import dev.mpq.core.NumericFormat;

/**
 * OCP Microscaling (MX v1.0): blocks of 32 consecutive inputs share one E8M0 (power-of-two) scale.
 * MXFP8 = E4M3 elements, MXFP6 = E2M3, MXFP4 = E2M1, MXINT8 = 8-bit fixed point k/64.
 *
 * <p>Scale rule (spec section 6.3): X = 2^(floor(log2(amax)) - emax_elem), with emax_elem = 8
 * (E4M3), 2 (E2M3, E2M1), 0 (INT8); the E8M0 exponent is clamped to [-127, 127]. Elements are
 * round(w / X) with round-half-even and saturation to the element's largest finite value (the
 * rule can clip the block's largest values: amax 7.9 in MXFP4 gives X = 1 and element 6). An
 * all-zero block stores X = 2^-127 and zeros; a block with NaN or an infinity stores the E8M0 NaN
 * (0xFF) and decodes to NaN.
 */
public record MxQuantizer(NumericFormat format, Element element) implements Quantizer {

    /** E8M0 exponent range. */
    public static final int MIN_EXPONENT = -127;

    public static final int MAX_EXPONENT = 127;

    /** The shared exponent floor(log2(amax)) - emax_elem, clamped to E8M0's range; amax must be finite and > 0. */
    public static int sharedExponent(double amax, Element element) {
        int e = Math.getExponent(amax) - element.emax();
        return Math.max(MIN_EXPONENT, Math.min(MAX_EXPONENT, e));
    }

    @Override
    public void fakeQuantize(float[] w, int rows, int cols, float[] out) {
        Quantizer.checkShape(format, w, rows, cols, out);
        int block = format.blockSize();
        for (int r = 0; r < rows; r++) {
            for (int start = 0; start < cols; start += block) {
                int from = r * cols + start;
                int to = r * cols + Math.min(cols, start + block);
                float amax = 0;
                boolean finite = true;
                for (int i = from; i < to; i++) {
                    finite &= Float.isFinite(w[i]);
                    amax = Math.max(amax, Math.abs(w[i]));
                }
                if (!finite) {
                    Quantizer.poison(out, from, to);
                    continue;
                }
                if (amax == 0) {
                    java.util.Arrays.fill(out, from, to, 0f);
                    continue;
                }
                double x = Math.scalb(1.0, sharedExponent(amax, element));
                for (int i = from; i < to; i++) {
                    // w / x and element * x are exact in double (x is a power of two)
                    out[i] = (float) (element.round(w[i] / x) * x);
                }
            }
        }
    }
}
