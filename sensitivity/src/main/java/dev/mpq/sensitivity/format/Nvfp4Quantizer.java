package dev.mpq.sensitivity.format;

import dev.mpq.core.NumericFormat;

/**
 * NVIDIA NVFP4: E2M1 elements in blocks of 16 inputs, each block with an E4M3 scale, the whole tensor
 * with one fp32 scale (the recipe of NVIDIA's Model Optimizer).
 *
 * <p>Scale rules (fp32 arithmetic): tensor scale s_t = amax(tensor) / (6 * 448); block scale s_b =
 * E4M3(amax(block) / 6 / s_t) rounded half to even and saturated at 448; effective scale s = s_b *
 * s_t; w' = E2M1(w / s) * s. So a block's amax lands on 6 up to the E4M3 rounding of its scale. An
 * all-zero tensor or block (or a block scale that underflows E4M3) gives zeros; NaN or an infinity
 * anywhere makes the tensor scale NaN, so the whole tensor decodes to NaN.
 */
public record Nvfp4Quantizer(NumericFormat format) implements Quantizer {

    /** E2M1 max x E4M3 max. */
    private static final float RANGE = 6f * 448f;

    /** s_t = amax / (6 * 448). */
    public static float tensorScale(float tensorAmax) {
        return tensorAmax / RANGE;
    }

    @Override
    public void fakeQuantize(float[] w, int rows, int cols, float[] out) {
        Quantizer.checkShape(format, w, rows, cols, out);
        float amax = 0;
        for (float v : w) {
            if (!Float.isFinite(v)) {
                Quantizer.poison(out, 0, out.length);
                return;
            }
            amax = Math.max(amax, Math.abs(v));
        }
        float tensorScale = tensorScale(amax);
        int block = format.blockSize();
        for (int r = 0; r < rows; r++) {
            for (int start = 0; start < cols; start += block) {
                int from = r * cols + start;
                int to = r * cols + Math.min(cols, start + block);
                float blockAmax = 0;
                for (int i = from; i < to; i++) {
                    blockAmax = Math.max(blockAmax, Math.abs(w[i]));
                }
                float scale = tensorScale == 0
                        ? 0f
                        : (float) MiniFloat.E4M3.round(blockAmax / 6f / tensorScale) * tensorScale;
                for (int i = from; i < to; i++) {
                    out[i] = scale == 0 ? 0f : (float) MiniFloat.E2M1.round(w[i] / scale) * scale;
                }
            }
        }
    }
}
