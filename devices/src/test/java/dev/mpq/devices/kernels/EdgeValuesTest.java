package dev.mpq.devices.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Zero, extreme, NaN, infinite and subnormal codes, scales and activations: vector paths against the oracle. */
class EdgeValuesTest {

    private static final int ROWS = 9;
    private static final int COLS = 161;
    private static KernelThreads threads;

    @BeforeAll
    static void startThreads() {
        threads = new KernelThreads(2);
    }

    @AfterAll
    static void stopThreads() {
        threads.close();
    }

    /** Decode, matrix-vector and matrix-matrix products of {@code w} against the oracle. */
    private static void assertAllPathsMatchTheOracle(WeightMatrix w, float[] x1, float[] x5) {
        float[] panel = new float[w.rows() * w.cols()];
        w.decode(0, w.rows(), 0, w.cols(), panel, w.cols());
        for (int r = 0; r < w.rows(); r++) {
            for (int c = 0; c < w.cols(); c++) {
                assertThat(Float.floatToRawIntBits(panel[r * w.cols() + c]))
                        .as("%s decode at (%d, %d)", w.formatId(), r, c)
                        .isEqualTo(Float.floatToRawIntBits(w.weight(r, c)));
            }
        }
        for (float[] x : new float[][] {x1, x5}) {
            int batch = x.length / w.cols();
            float[] expected = new float[batch * w.rows()];
            ScalarOracle.multiply(w, x, batch, expected);
            float[] actual = new float[batch * w.rows()];
            PanelGemm.multiply(w, x, batch, actual, threads);
            Products.assertClose(w, x, batch, actual, expected, "edge values");
        }
    }

    private static float[] activations(int batch, long seed) {
        return RandomWeights.activations(batch, COLS, new SplittableRandom(seed));
    }

    @Test
    void fp32WeightsWithZeroExtremeSubnormalNanAndInfinity() {
        float[] values = RandomWeights.activations(ROWS, COLS, new SplittableRandom(1));
        values[0] = 0f;
        values[1] = -0f;
        values[COLS + 3] = Float.MAX_VALUE;
        values[2 * COLS + 40] = Float.MIN_VALUE;
        values[3 * COLS + 17] = Float.NaN;
        values[4 * COLS + 150] = Float.POSITIVE_INFINITY;
        values[5 * COLS + 160] = Float.NEGATIVE_INFINITY;
        Arrays.fill(values, 6 * COLS, 7 * COLS, Float.MIN_NORMAL / 4);
        assertAllPathsMatchTheOracle(new Fp32Weights(ROWS, COLS, values), activations(1, 2), activations(5, 3));
    }

    @Test
    void activationsWithNanInfinityAndSubnormals() {
        WeightMatrix int4 = RandomWeights.of("int4-g32", ROWS, COLS, new SplittableRandom(4));
        float[] x1 = activations(1, 5);
        x1[7] = Float.NaN;
        float[] x5 = activations(5, 6);
        x5[COLS + 9] = Float.POSITIVE_INFINITY;
        x5[2 * COLS + 100] = Float.MIN_VALUE;
        Arrays.fill(x5, 3 * COLS, 4 * COLS, 0f);
        assertAllPathsMatchTheOracle(int4, x1, x5);
        float[] y = new float[ROWS];
        int4.multiplyRows(x1, y, 0, ROWS);
        for (float v : y) {
            assertThat(v).isNaN();
        }
    }

    @Test
    void int4G128MatrixVectorWithInfiniteHugeAndNanActivationsMatchesTheOracle() {
        int cols = 512 + 32 + 5; // whole groups, a stripe of a partial group, a scalar tail
        WeightMatrix w = RandomWeights.of("int4-g128", ROWS, cols, new SplittableRandom(21));
        int[] at = {0, 16, 130, 300, 520, 546};
        float[] specials = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f, Float.MAX_VALUE, Float.NaN};
        for (int i : at) {
            for (float special : specials) {
                float[] x = RandomWeights.activations(1, cols, new SplittableRandom(22));
                x[i] = special;
                float[] expected = new float[ROWS];
                ScalarOracle.multiply(w, x, 1, expected);
                float[] actual = new float[ROWS];
                w.multiplyRows(x, actual, 0, ROWS);
                Products.assertClose(w, x, 1, actual, expected, "x[" + i + "] = " + special);
            }
        }
        float[] zeroCodes = new float[ROWS];
        GroupIntWeights zero = GroupIntWeights.pack(4, 128, ROWS, cols, new int[ROWS * cols], new short[ROWS * 5]);
        zero.multiplyRows(RandomWeights.activations(1, cols, new SplittableRandom(23)), zeroCodes, 0, ROWS);
        for (float v : zeroCodes) {
            assertThat(v).as("a row of zero codes").isEqualTo(0f);
        }
    }

    @Test
    void bf16SpecialCodes() {
        short[] codes = new short[ROWS * COLS];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < codes.length; i++) {
            codes[i] = Bf16.fromFloat((float) random.nextDouble(-1, 1));
        }
        codes[5] = (short) 0x7F80;
        codes[COLS + 5] = (short) 0xFF80;
        codes[2 * COLS + 33] = (short) 0x7FC0;
        codes[3 * COLS + 64] = (short) 0x0001;
        codes[4 * COLS + 100] = (short) 0x7F7F;
        codes[5 * COLS + 160] = (short) 0x8000;
        assertAllPathsMatchTheOracle(new Bf16Weights(ROWS, COLS, codes), activations(1, 8), activations(5, 9));
    }

    @Test
    void groupIntegersWithExtremeCodesAndSpecialScales() {
        short[] special = {0x7C00, (short) 0xFC00, 0x7E00, 0x0001, 0x7BFF, 0x0000, (short) 0x8000};
        for (int bits : new int[] {2, 3, 4, 8}) {
            for (int group : new int[] {32, 128}) {
                SplittableRandom random = new SplittableRandom(bits * 100 + group);
                int min = -(1 << (bits - 1));
                int max = (1 << (bits - 1)) - 1;
                int[] codes = new int[ROWS * COLS];
                for (int i = 0; i < codes.length; i++) {
                    codes[i] =
                            random.nextInt(3) == 0 ? (random.nextBoolean() ? min : max) : random.nextInt(min, max + 1);
                }
                int gpr = (COLS + group - 1) / group;
                short[] scales = new short[ROWS * gpr];
                for (int i = 0; i < scales.length; i++) {
                    scales[i] = Fp16.fromFloat((float) random.nextDouble(0.001, 0.1));
                }
                for (int i = 0; i < special.length; i++) {
                    scales[(i + 1) * gpr - 1 - (i % gpr)] = special[i];
                }
                GroupIntWeights w = GroupIntWeights.pack(bits, group, ROWS, COLS, codes, scales);
                assertAllPathsMatchTheOracle(w, activations(1, bits), activations(5, bits + 1));
            }
        }
    }

    @Test
    void fp8EveryCodeIncludingNanAndSubnormals() {
        int cols = 256;
        byte[] codes = new byte[ROWS * cols];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < cols; c++) {
                codes[r * cols + c] = (byte) (r == 0 ? c : (c * 7 + r * 13) % 256 == 0x7F ? 0 : (c * 7 + r * 13) % 256);
            }
        }
        float[] scales = new float[ROWS];
        Arrays.fill(scales, 0.01f);
        scales[2] = Float.MIN_VALUE;
        scales[3] = 1e30f;
        Fp8E4m3Weights w = new Fp8E4m3Weights(ROWS, cols, codes, scales);
        for (int c = 0; c < 256; c++) {
            assertThat(Float.floatToRawIntBits(w.weight(0, c)))
                    .as("code %d", c)
                    .isEqualTo(Float.floatToRawIntBits(E4m3.decode(c) * 0.01f));
        }
        float[] x1 = RandomWeights.activations(1, cols, new SplittableRandom(10));
        float[] x5 = RandomWeights.activations(5, cols, new SplittableRandom(11));
        float[] panel = new float[ROWS * cols];
        w.decode(0, ROWS, 0, cols, panel, cols);
        for (int i = 0; i < panel.length; i++) {
            assertThat(Float.floatToRawIntBits(panel[i]))
                    .isEqualTo(Float.floatToRawIntBits(w.weight(i / cols, i % cols)));
        }
        for (float[] x : new float[][] {x1, x5}) {
            int batch = x.length / cols;
            float[] expected = new float[batch * ROWS];
            ScalarOracle.multiply(w, x, batch, expected);
            float[] actual = new float[batch * ROWS];
            PanelGemm.multiply(w, x, batch, actual, threads);
            Products.assertClose(w, x, batch, actual, expected, "fp8 codes");
            for (int b = 0; b < batch; b++) {
                assertThat(actual[b * ROWS]).as("row 0 holds the NaN codes").isNaN();
            }
        }
    }

    @Test
    void fp4FormatsWithEveryCodeAndSpecialScales() {
        int[] codes = new int[ROWS * COLS];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = i % 16;
        }
        float[] rowScales = new float[ROWS];
        Arrays.fill(rowScales, 0.5f);
        rowScales[1] = Float.POSITIVE_INFINITY;
        rowScales[2] = Float.MIN_VALUE;
        assertAllPathsMatchTheOracle(
                Fp4E2m1Weights.pack(ROWS, COLS, codes, rowScales), activations(1, 12), activations(5, 13));
        byte[] e8m0 = new byte[ROWS * ((COLS + 31) / 32)];
        Arrays.fill(e8m0, (byte) 127);
        e8m0[0] = (byte) 255;
        e8m0[7] = 0;
        e8m0[12] = (byte) 254;
        e8m0[20] = 1;
        assertAllPathsMatchTheOracle(
                MxFp4Weights.pack(ROWS, COLS, codes, e8m0), activations(1, 14), activations(5, 15));
        byte[] e4m3 = new byte[ROWS * ((COLS + 15) / 16)];
        Arrays.fill(e4m3, (byte) 0x38);
        e4m3[0] = 0x7F;
        e4m3[11] = 0x7E;
        e4m3[23] = 0x01;
        e4m3[35] = 0x00;
        assertAllPathsMatchTheOracle(
                NvFp4Weights.pack(ROWS, COLS, codes, e4m3, 0.75f), activations(1, 16), activations(5, 17));
        assertAllPathsMatchTheOracle(
                NvFp4Weights.pack(ROWS, COLS, codes, e4m3, Float.MIN_VALUE), activations(1, 18), activations(5, 19));
    }
}
