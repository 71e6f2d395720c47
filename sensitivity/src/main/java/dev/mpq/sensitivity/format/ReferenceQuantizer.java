package dev.mpq.sensitivity.format;

import dev.mpq.core.NumericFormat;

/**
 * The reference formats: bf16 and fp16 round every element (half to even, saturating at the largest
 * finite value, NaN kept); fp32 is the identity.
 *
 * @param element the 16-bit element, or null for fp32
 */
public record ReferenceQuantizer(NumericFormat format, MiniFloat element) implements Quantizer {

    @Override
    public void fakeQuantize(float[] w, int rows, int cols, float[] out) {
        Quantizer.checkShape(format, w, rows, cols, out);
        for (int i = 0; i < w.length; i++) {
            out[i] = element == null ? w[i] : (float) element.round(w[i]);
        }
    }
}
