package dev.mpq.devices.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.core.FormatCatalog;
import dev.mpq.sensitivity.format.Quantizer;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Weights packed for the kernels decode to exactly what {@code sensitivity}'s quantizers dequantize. */
class SensitivityDequantizeTest {

    static java.util.List<String> formats() {
        return RandomWeights.FORMATS;
    }

    /** Gaussian weights with outliers, an all-zero row, negative zeros and subnormals. */
    private static float[] weights(int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            double g = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
            w[i] = (float) (g * 0.02);
            if (random.nextInt(200) == 0) {
                w[i] *= 40;
            }
        }
        java.util.Arrays.fill(w, 2 * cols, 3 * cols, 0f);
        w[3 * cols + 1] = -0f;
        w[4 * cols + 2] = Float.MIN_VALUE;
        w[4 * cols + 5] = -1e-30f;
        return w;
    }

    private static void assertSameAsSensitivity(String format, float[] w, int rows, int cols) {
        float[] expected = new float[w.length];
        Quantizer.of(FormatCatalog.byId(format)).fakeQuantize(w, rows, cols, expected);
        WeightMatrix packed = WeightPacker.pack(format, w, rows, cols);
        float[] panel = new float[w.length];
        packed.decode(0, rows, 0, cols, panel, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float e = expected[r * cols + c];
                String where = "%s at (%d, %d), weight %s".formatted(format, r, c, w[r * cols + c]);
                if (Float.isNaN(e)) {
                    assertThat(packed.weight(r, c)).as(where).isNaN();
                    assertThat(panel[r * cols + c]).as(where).isNaN();
                } else {
                    assertThat(Float.floatToRawIntBits(packed.weight(r, c)))
                            .as(where + ": scalar decode %s, sensitivity %s", packed.weight(r, c), e)
                            .isEqualTo(Float.floatToRawIntBits(e));
                    assertThat(Float.floatToRawIntBits(panel[r * cols + c]))
                            .as(where + ": vector decode")
                            .isEqualTo(Float.floatToRawIntBits(e));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void decodedWeightsEqualSensitivityDequantize(String format) {
        for (int[] shape : new int[][] {{7, 300}, {6, 128}, {5, 77}}) {
            assertSameAsSensitivity(
                    format, weights(shape[0], shape[1], format.hashCode() + shape[1]), shape[0], shape[1]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void blocksHoldingNanOrInfinityDecodeAsSensitivityDoes(String format) {
        float[] w = weights(6, 160, 99);
        w[40] = Float.NaN;
        w[2 * 160 + 100] = Float.POSITIVE_INFINITY;
        assertSameAsSensitivity(format, w, 6, 160);
    }
}
