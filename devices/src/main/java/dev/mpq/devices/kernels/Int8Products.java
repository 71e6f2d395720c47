package dev.mpq.devices.kernels;

/**
 * The {@code int8:int8} precision: int8 weights (per-row scale) times int8 activations (per batch
 * row scale) with exact integer sums, then {@code y = sum * weightScale[r] * activationScale[b]}.
 */
public final class Int8Products {

    private Int8Products() {}

    /** Exact sums {@code acc[b * rows + r] = sum_c code(r, c) * xq[b * cols + c]}. */
    public static void multiplyExact(Int8Weights w, byte[] xq, int batch, int[] acc, KernelThreads threads) {
        if (xq.length != (long) batch * w.cols() || acc.length < (long) batch * w.rows()) {
            throw new IllegalArgumentException(("int8 product of %d x %d weights with batch %d: activations have %d"
                            + " codes (need %d), accumulators %d (need %d).")
                    .formatted(w.rows(), w.cols(), batch, xq.length, batch * w.cols(), acc.length, batch * w.rows()));
        }
        if (batch == 1) {
            int[] wide = new int[w.cols()];
            for (int c = 0; c < wide.length; c++) {
                wide[c] = xq[c];
            }
            threads.forEachRange(w.rows(), 8, (start, end) -> w.multiplyExactRows(wide, acc, start, end));
            return;
        }
        PanelGemm.multiplyExact(w, xq, batch, acc, threads);
    }

    /** {@code y[b * rows + r]}: the exact sums scaled back to fp32. */
    public static void multiply(Int8Weights w, Int8Activations x, float[] y, KernelThreads threads) {
        int rows = w.rows();
        int[] acc = new int[x.batch() * rows];
        multiplyExact(w, x.codes(), x.batch(), acc, threads);
        for (int b = 0; b < x.batch(); b++) {
            for (int r = 0; r < rows; r++) {
                y[b * rows + r] = acc[b * rows + r] * w.rowScales()[r] * x.scales()[b];
            }
        }
    }
}
