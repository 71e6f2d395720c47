package dev.mpq.devices.kernels;

/**
 * The reference products every vector kernel is tested against: each weight decoded on its own by
 * {@link WeightMatrix#weight}, products summed in double, in column order.
 */
public final class ScalarOracle {

    private ScalarOracle() {}

    /** {@code y[b * rows + r] = sum_c weight(r, c) * x[b * cols + c]} for every batch row b. */
    public static void multiply(WeightMatrix w, float[] x, int batch, float[] y) {
        int rows = w.rows();
        int cols = w.cols();
        for (int r = 0; r < rows; r++) {
            for (int b = 0; b < batch; b++) {
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    sum += (double) w.weight(r, c) * x[b * cols + c];
                }
                y[b * rows + r] = (float) sum;
            }
        }
    }

    /** Exact int8 x int8 sums: {@code acc[b * rows + r] = sum_c q[r][c] * xq[b][c]}, in long then int. */
    public static void multiplyExact(Int8Weights w, byte[] xq, int batch, int[] acc) {
        int rows = w.rows();
        int cols = w.cols();
        for (int r = 0; r < rows; r++) {
            for (int b = 0; b < batch; b++) {
                long sum = 0;
                for (int c = 0; c < cols; c++) {
                    sum += (long) w.code(r, c) * xq[b * cols + c];
                }
                acc[b * rows + r] = Math.toIntExact(sum);
            }
        }
    }
}
