package dev.mpq.sensitivity.format;

import dev.mpq.core.NumericFormat;

/**
 * FP8 (E4M3, E5M2), FP6 (E3M2, E2M3) and FP4 (E2M1) with one fp32 scale per row (output channel).
 *
 * <p>Scale rule: scale = amax(row) / maxFinite(element) in fp32 (448 for E4M3, 57344 for E5M2, 28
 * for E3M2, 7.5 for E2M3, 6 for E2M1), so the largest magnitude maps onto the largest finite
 * element; w' = round(w / scale) * scale with the element's round-half-even and saturation.
 */
public record FloatQuantizer(NumericFormat format, Element element) implements Quantizer {

    @Override
    public void fakeQuantize(float[] w, int rows, int cols, float[] out) {
        Quantizer.checkShape(format, w, rows, cols, out);
        float maxFinite = (float) element.maxFinite();
        for (int r = 0; r < rows; r++) {
            int from = r * cols;
            int to = from + cols;
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
            float scale = amax / maxFinite;
            for (int i = from; i < to; i++) {
                out[i] = scale == 0 ? 0f : (float) element.round(w[i] / scale) * scale;
            }
        }
    }
}
