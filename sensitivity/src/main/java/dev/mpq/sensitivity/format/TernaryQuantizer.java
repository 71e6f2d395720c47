package dev.mpq.sensitivity.format;

import dev.mpq.core.NumericFormat;

/**
 * Ternary weights (BitNet b1.58 "absmean"): one fp32 scale per tensor, gamma = max(mean |w|, 1e-5),
 * q = clamp(rint(w / gamma), -1, 1), w' = q * gamma. NaN or an infinity anywhere makes gamma NaN
 * and the tensor NaN.
 */
public record TernaryQuantizer(NumericFormat format) implements Quantizer {

    /** The floor of gamma, as in BitNet's reference code. */
    public static final double EPSILON = 1e-5;

    @Override
    public void fakeQuantize(float[] w, int rows, int cols, float[] out) {
        Quantizer.checkShape(format, w, rows, cols, out);
        double sum = 0;
        for (float v : w) {
            sum += Math.abs(v);
        }
        if (!Double.isFinite(sum)) {
            Quantizer.poison(out, 0, out.length);
            return;
        }
        float gamma = (float) Math.max(sum / w.length, EPSILON);
        for (int i = 0; i < w.length; i++) {
            double q = Math.max(-1, Math.min(1, Math.rint(w[i] / gamma)));
            out[i] = (float) q * gamma;
        }
    }
}
