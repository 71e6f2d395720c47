package dev.mpq.devices.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every format's vector paths against its scalar oracle, on shapes that are not multiples of the vector width. */
class VectorKernelsTest {

    private static final int[][] SHAPES = {
        {1, 1}, {3, 7}, {5, 31}, {2, 32}, {7, 33}, {4, 100}, {9, 128}, {6, 130}, {13, 257}, {5, 300}, {3, 515}
    };

    private static KernelThreads twoThreads;

    @BeforeAll
    static void startThreads() {
        twoThreads = new KernelThreads(2);
    }

    @AfterAll
    static void stopThreads() {
        twoThreads.close();
    }

    static Stream<Arguments> formatsAndShapes() {
        return RandomWeights.FORMATS.stream().flatMap(f -> Stream.of(SHAPES).map(s -> Arguments.of(f, s[0], s[1])));
    }

    static Stream<String> formats() {
        return RandomWeights.FORMATS.stream();
    }

    private static long seed(String format, int rows, int cols) {
        return format.hashCode() * 31L + rows * 1009L + cols;
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("formatsAndShapes")
    void vectorDecodeEqualsScalarDecodeBitForBit(String format, int rows, int cols) {
        long seed = seed(format, rows, cols);
        WeightMatrix w = RandomWeights.of(format, rows, cols, new SplittableRandom(seed));
        int stride = cols + 3;
        float[] panel = new float[rows * stride];
        for (int col = 0; col < cols; col += WeightMatrix.PANEL_ALIGNMENT) {
            int count = Math.min(cols - col, 2 * WeightMatrix.PANEL_ALIGNMENT);
            w.decode(0, rows, col, count, panel, stride);
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < count; k++) {
                    assertThat(Float.floatToRawIntBits(panel[r * stride + k]))
                            .as("seed %d, %s at (%d, %d)", seed, format, r, col + k)
                            .isEqualTo(Float.floatToRawIntBits(w.weight(r, col + k)));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("formatsAndShapes")
    void matrixVectorProductMatchesTheOracle(String format, int rows, int cols) {
        long seed = seed(format, rows, cols);
        SplittableRandom random = new SplittableRandom(seed);
        WeightMatrix w = RandomWeights.of(format, rows, cols, random);
        float[] x = RandomWeights.activations(1, cols, random);
        float[] expected = new float[rows];
        ScalarOracle.multiply(w, x, 1, expected);
        float[] single = new float[rows];
        w.multiplyRows(x, single, 0, rows);
        Products.assertClose(w, x, 1, single, expected, "seed " + seed + ", one thread");
        float[] parallel = new float[rows];
        PanelGemm.multiply(w, x, 1, parallel, twoThreads);
        Products.assertClose(w, x, 1, parallel, expected, "seed " + seed + ", two threads");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void rowRangesThatSplitStoredRowPairsGiveTheSameRows(String format) {
        long seed = seed(format, 13, 300);
        SplittableRandom random = new SplittableRandom(seed);
        WeightMatrix w = RandomWeights.of(format, 13, 300, random);
        float[] x = RandomWeights.activations(1, 300, random);
        float[] whole = new float[13];
        w.multiplyRows(x, whole, 0, 13);
        float[] pieces = new float[13];
        w.multiplyRows(x, pieces, 0, 1);
        w.multiplyRows(x, pieces, 1, 4);
        w.multiplyRows(x, pieces, 4, 5);
        w.multiplyRows(x, pieces, 5, 12);
        w.multiplyRows(x, pieces, 12, 13);
        float[] expected = new float[13];
        ScalarOracle.multiply(w, x, 1, expected);
        Products.assertClose(w, x, 1, pieces, expected, "seed " + seed + ", split ranges");
        Products.assertClose(w, x, 1, whole, expected, "seed " + seed + ", whole range");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void matrixMatrixProductMatchesTheOracleForBatchesTwoToThirtyThree(String format) {
        for (int[] shape : new int[][] {{6, 130}, {9, 257}, {4, 33}}) {
            for (int batch : new int[] {2, 5, 16, 33}) {
                long seed = seed(format, shape[0], shape[1]) + batch;
                SplittableRandom random = new SplittableRandom(seed);
                WeightMatrix w = RandomWeights.of(format, shape[0], shape[1], random);
                float[] x = RandomWeights.activations(batch, shape[1], random);
                float[] expected = new float[batch * shape[0]];
                ScalarOracle.multiply(w, x, batch, expected);
                float[] actual = new float[batch * shape[0]];
                PanelGemm.multiply(w, x, batch, actual, twoThreads);
                Products.assertClose(w, x, batch, actual, expected, "seed " + seed);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void longRowsSpanningSeveralPanelsMatchTheOracle(String format) {
        long seed = seed(format, 11, 1000);
        SplittableRandom random = new SplittableRandom(seed);
        WeightMatrix w = RandomWeights.of(format, 11, 1000, random);
        for (int batch : new int[] {1, 3, 40}) {
            float[] x = RandomWeights.activations(batch, 1000, random);
            float[] expected = new float[batch * 11];
            ScalarOracle.multiply(w, x, batch, expected);
            float[] actual = new float[batch * 11];
            PanelGemm.multiply(w, x, batch, actual, twoThreads);
            Products.assertClose(w, x, batch, actual, expected, "seed " + seed);
        }
    }
}
