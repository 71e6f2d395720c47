package dev.mpq.devices.bench;

/**
 * One row of {@code bench kernels}: a product of a {@code rows x cols} weight matrix with
 * {@code batch} activation vectors on {@code threads} threads.
 *
 * @param format the weight format id for weight-only kernels ({@code int4-g128}), the precision
 *     otherwise ({@code int8:int8})
 */
public record KernelCase(String format, int rows, int cols, int batch, int threads) {

    public KernelCase {
        if (rows < 1 || cols < 1 || batch < 1 || threads < 1) {
            throw new IllegalArgumentException("Kernel case %s %dx%d batch %d on %d threads; all must be at least 1."
                    .formatted(format, rows, cols, batch, threads));
        }
    }

    /** {@code matvec} for batch 1, {@code matmul} otherwise. */
    public String kernel() {
        return batch == 1 ? "matvec" : "matmul";
    }

    /** Multiply-adds count two operations each. */
    public double operations() {
        return 2.0 * rows * cols * batch;
    }

    /** A label for filters and progress lines, e.g. {@code matvec int4-g128 4096x4096 b1 t2}. */
    public String label() {
        return "%s %s %dx%d b%d t%d".formatted(kernel(), format, rows, cols, batch, threads);
    }
}
