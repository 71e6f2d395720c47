package dev.mpq.sensitivity.format;

import dev.mpq.core.NumericFormat;

/**
 * Integer formats: INTb per channel or in groups of g inputs, symmetric or with a zero point.
 *
 * <p>Scale rules (computed in fp32; group scales are then rounded to fp16, half to even):
 *
 * <ul>
 *   <li>symmetric: codes -(2^(b-1) - 1) .. 2^(b-1) - 1, scale = amax / (2^(b-1) - 1), q = clamp(rint(w / scale)),
 *       w' = q * scale;
 *   <li>asymmetric: codes 0 .. 2^b - 1, rmin = min(min w, 0), rmax = max(max w, 0) (so zero is exact),
 *       scale = (rmax - rmin) / (2^b - 1), zero point z = clamp(rint(-rmin / scale)),
 *       q = clamp(rint(w / scale) + z), w' = (q - z) * scale (ONNX Runtime's and GPTQ's convention).
 * </ul>
 *
 * rint rounds half to even; clamp saturates to the code range (an fp16 scale that rounded down can
 * push |w / scale| past the largest code). A zero scale (all-zero block, or fp16 underflow) gives
 * zeros. Other code ranges (such as ONNX Runtime's reduce-range int8, -64..64) come from the
 * public constructor.
 *
 * @param format the catalogue format (or a custom one for a non-catalogue scheme)
 * @param qmin smallest code
 * @param qmax largest code
 * @param asymmetric whether a zero point is used
 * @param groupSize inputs per scale; 0 = one scale per row
 * @param fp16Scale whether scales are stored (rounded) as fp16 rather than fp32
 */
public record IntQuantizer(
        NumericFormat format, int qmin, int qmax, boolean asymmetric, int groupSize, boolean fp16Scale)
        implements Quantizer {

    public IntQuantizer {
        if (qmin >= qmax || (!asymmetric && qmin != -qmax)) {
            throw new IllegalArgumentException(
                    "Integer scheme %s has codes %d..%d; symmetric schemes need qmin = -qmax, asymmetric ones qmin < qmax."
                            .formatted(format.id(), qmin, qmax));
        }
        if (groupSize < 0) {
            throw new IllegalArgumentException(
                    "Integer scheme %s has group size %d; use 0 (per row) or a positive size."
                            .formatted(format.id(), groupSize));
        }
    }

    /** The scheme of a catalogue INT format. */
    public static IntQuantizer of(NumericFormat format) {
        int b = format.elementBits();
        int half = (1 << (b - 1)) - 1;
        return format.asymmetric()
                ? new IntQuantizer(
                        format, 0, (1 << b) - 1, true, format.blockSize(), format.scale() == NumericFormat.Scale.FP16)
                : new IntQuantizer(
                        format, -half, half, false, format.blockSize(), format.scale() == NumericFormat.Scale.FP16);
    }

    /**
     * The stored form: integer codes (same layout as the weights), one scale and one zero point per
     * row and group ({@code rows x groupsPerRow}, row-major).
     */
    public record Encoded(int[] codes, float[] scales, int[] zeroPoints, int groupsPerRow) {}

    /** Groups per row for {@code cols} inputs. */
    public int groupsPerRow(int cols) {
        int g = groupSize == 0 ? cols : groupSize;
        return (cols + g - 1) / g;
    }

    /** Quantizes to codes, scales and zero points (non-finite blocks get NaN scales and code 0). */
    public Encoded encode(float[] weights, int rows, int cols) {
        float[] dummy = new float[weights.length];
        Quantizer.checkShape(format, weights, rows, cols, dummy);
        int groups = groupsPerRow(cols);
        Encoded encoded =
                new Encoded(new int[weights.length], new float[rows * groups], new int[rows * groups], groups);
        run(weights, rows, cols, dummy, encoded);
        return encoded;
    }

    @Override
    public void fakeQuantize(float[] weights, int rows, int cols, float[] out) {
        Quantizer.checkShape(format, weights, rows, cols, out);
        run(weights, rows, cols, out, null);
    }

    private void run(float[] w, int rows, int cols, float[] out, Encoded encoded) {
        int g = groupSize == 0 ? cols : groupSize;
        int groups = groupsPerRow(cols);
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < groups; k++) {
                int from = r * cols + k * g;
                int to = r * cols + Math.min(cols, (k + 1) * g);
                block(w, from, to, out, encoded, r * groups + k);
            }
        }
    }

    private void block(float[] w, int from, int to, float[] out, Encoded encoded, int scaleIndex) {
        float min = 0;
        float max = 0;
        for (int i = from; i < to; i++) {
            float v = w[i];
            if (!Float.isFinite(v)) {
                Quantizer.poison(out, from, to);
                if (encoded != null) {
                    encoded.scales[scaleIndex] = Float.NaN;
                }
                return;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float scale = asymmetric ? (max - min) / (float) (qmax - qmin) : Math.max(-min, max) / (float) qmax;
        if (fp16Scale) {
            scale = (float) MiniFloat.FP16.round(scale);
        }
        int zero = 0;
        if (scale == 0) {
            java.util.Arrays.fill(out, from, to, 0f);
        } else {
            if (asymmetric) {
                zero = (int) clamp(Math.rint(qmin - min / scale));
            }
            for (int i = from; i < to; i++) {
                int q = (int) clamp(Math.rint(w[i] / scale) + zero);
                out[i] = (q - zero) * scale;
                if (encoded != null) {
                    encoded.codes[i] = q;
                }
            }
        }
        if (encoded != null) {
            encoded.scales[scaleIndex] = scale;
            encoded.zeroPoints[scaleIndex] = zero;
        }
    }

    private double clamp(double q) {
        return Math.max(qmin, Math.min(qmax, q));
    }
}
