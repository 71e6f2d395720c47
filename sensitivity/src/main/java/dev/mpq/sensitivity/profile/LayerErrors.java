package dev.mpq.sensitivity.profile;

import dev.mpq.sensitivity.format.Quantizer;
import dev.mpq.sensitivity.onnx.WeightMatrix;

/** Squared quantization error of a weight matrix, plain or weighted per input column. */
public final class LayerErrors {

    private LayerErrors() {}

    /** Q(W), in {@code scratch} when it has the matrix's size. */
    private static float[] fakeQuantized(Quantizer quantizer, WeightMatrix m, float[] scratch) {
        float[] out = scratch.length == m.data().length ? scratch : new float[m.data().length];
        quantizer.fakeQuantize(m.data(), m.rows(), m.cols(), out);
        return out;
    }

    /** {@code d = (Q(W) - W)[row]} in doubles; {@code d.length} is the number of columns. */
    private static void rowError(float[] quantized, float[] w, int row, double[] d) {
        int base = row * d.length;
        for (int c = 0; c < d.length; c++) {
            d[c] = (double) quantized[base + c] - w[base + c];
        }
    }

    /** sum over all elements of (Q(W) - W)^2; {@code scratch} holds at least rows x cols floats. */
    public static double total(Quantizer quantizer, WeightMatrix m, float[] scratch) {
        return weighted(quantizer, m, scratch, null);
    }

    /**
     * sum over rows r and columns c of weight[c] x (Q(W) - W)[r][c]^2 (weight null = 1 everywhere);
     * {@code scratch} holds at least rows x cols floats.
     */
    public static double weighted(Quantizer quantizer, WeightMatrix m, float[] scratch, double[] columnWeights) {
        float[] w = m.data();
        float[] out = fakeQuantized(quantizer, m, scratch);
        int cols = m.cols();
        double sum = 0;
        for (int r = 0; r < m.rows(); r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                double d = (double) out[base + c] - w[base + c];
                sum += columnWeights == null ? d * d : columnWeights[c] * d * d;
            }
        }
        return sum;
    }

    /**
     * sum over rows r of d_r G d_r^T with G = (1/count) sum_s v_s v_s^T given by its vectors ({@code
     * vectors} holds count x in values, row-major): (1/count) sum_r sum_s (d_r . v_s)^2, in rows x in
     * x count operations instead of rows x in^2.
     */
    public static double sampleWeighted(
            Quantizer quantizer, WeightMatrix m, float[] scratch, double[] vectors, int count) {
        int n = m.cols();
        if (count < 1 || vectors.length != (long) count * n) {
            throw new IllegalArgumentException(
                    "%d values are not %d vectors of the layer's %d inputs.".formatted(vectors.length, count, n));
        }
        float[] w = m.data();
        float[] out = fakeQuantized(quantizer, m, scratch);
        double[] d = new double[n];
        double sum = 0;
        for (int r = 0; r < m.rows(); r++) {
            rowError(out, w, r, d);
            for (int s = 0; s < count; s++) {
                int vs = s * n;
                double dot = 0;
                for (int c = 0; c < n; c++) {
                    dot += d[c] * vectors[vs + c];
                }
                sum += dot * dot;
            }
        }
        return sum / count;
    }

    /**
     * sum over rows r of d_r G d_r^T with d = Q(W) - W and G an in x in second-moment matrix
     * (row-major): the expected squared output error E||(Q(W) - W) x||^2 when G = E[x x^T].
     */
    public static double gramWeighted(Quantizer quantizer, WeightMatrix m, float[] scratch, double[] gram) {
        float[] w = m.data();
        float[] out = fakeQuantized(quantizer, m, scratch);
        int n = m.cols();
        double[] d = new double[n];
        double sum = 0;
        for (int r = 0; r < m.rows(); r++) {
            rowError(out, w, r, d);
            for (int i = 0; i < n; i++) {
                if (d[i] == 0) {
                    continue;
                }
                double acc = 0;
                int gi = i * n;
                for (int j = 0; j < n; j++) {
                    acc += gram[gi + j] * d[j];
                }
                sum += d[i] * acc;
            }
        }
        return sum;
    }
}
