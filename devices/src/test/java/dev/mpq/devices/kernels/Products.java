package dev.mpq.devices.kernels;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions shared by the kernel tests: a vector result against the oracle's. */
final class Products {

    private Products() {}

    /**
     * Each entry within 1e-4 of the sum of |w * x| of its dot product (fp32 against double
     * accumulation, in another order); NaN exactly where the oracle has NaN, the same infinity
     * where it has one.
     */
    static void assertClose(WeightMatrix w, float[] x, int batch, float[] actual, float[] expected, String what) {
        int rows = w.rows();
        int cols = w.cols();
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < rows; r++) {
                float e = expected[b * rows + r];
                float a = actual[b * rows + r];
                String where = "%s: %s %dx%d batch %d, entry (b=%d, r=%d)"
                        .formatted(what, w.formatId(), rows, cols, batch, b, r);
                if (Float.isNaN(e)) {
                    assertThat(a).as(where).isNaN();
                    continue;
                }
                if (Float.isInfinite(e)) {
                    assertThat(a).as(where).isEqualTo(e);
                    continue;
                }
                double magnitude = 0;
                for (int c = 0; c < cols; c++) {
                    magnitude += Math.abs((double) w.weight(r, c) * x[b * cols + c]);
                }
                assertThat((double) a)
                        .as(where)
                        .isCloseTo(e, org.assertj.core.data.Offset.offset(1e-4 * magnitude + 1e-30));
            }
        }
    }
}
