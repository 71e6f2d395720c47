package dev.mpq.devices.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** int8 x int8 sums are exact: equal to the long-arithmetic oracle, including the extremes. */
class Int8ProductsTest {

    private static KernelThreads threads;

    @BeforeAll
    static void startThreads() {
        threads = new KernelThreads(2);
    }

    @AfterAll
    static void stopThreads() {
        threads.close();
    }

    private static int[] exact(Int8Weights w, byte[] xq, int batch) {
        int[] acc = new int[batch * w.rows()];
        Int8Products.multiplyExact(w, xq, batch, acc, threads);
        return acc;
    }

    private static int[] oracle(Int8Weights w, byte[] xq, int batch) {
        int[] acc = new int[batch * w.rows()];
        ScalarOracle.multiplyExact(w, xq, batch, acc);
        return acc;
    }

    @Test
    void randomCodesGiveTheOracleSumsForEveryBatch() {
        for (int[] shape : new int[][] {{1, 1}, {7, 33}, {17, 257}, {9, 1000}}) {
            for (int batch : new int[] {1, 2, 5, 33, 64}) {
                long seed = shape[0] * 7919L + shape[1] * 31L + batch;
                SplittableRandom random = new SplittableRandom(seed);
                Int8Weights w = (Int8Weights) RandomWeights.of("int8", shape[0], shape[1], random);
                byte[] xq = new byte[batch * shape[1]];
                for (int i = 0; i < xq.length; i++) {
                    xq[i] = (byte) random.nextInt(-128, 128);
                }
                assertThat(exact(w, xq, batch)).as("seed %d", seed).containsExactly(oracle(w, xq, batch));
            }
        }
    }

    @Test
    void largestMagnitudesStayExactOverLongRows() {
        int rows = 10;
        int cols = 5000;
        byte[] codes = new byte[rows * cols];
        Arrays.fill(codes, (byte) -128);
        Arrays.fill(codes, cols, 2 * cols, (byte) 127);
        for (int c = 0; c < cols; c += 2) {
            codes[2 * cols + c] = 1;
        }
        Int8Weights w = new Int8Weights(rows, cols, codes, new float[rows]);
        for (int batch : new int[] {1, 3, 40}) {
            byte[] xq = new byte[batch * cols];
            Arrays.fill(xq, (byte) -128);
            int[] acc = exact(w, xq, batch);
            assertThat(acc).containsExactly(oracle(w, xq, batch));
            assertThat(acc[0]).isEqualTo(cols * 16384);
            assertThat(acc[1]).isEqualTo(cols * 127 * -128);
        }
    }

    @Test
    void scaledProductIsTheExactSumTimesBothScales() {
        SplittableRandom random = new SplittableRandom(5);
        Int8Weights w = (Int8Weights) RandomWeights.of("int8", 6, 70, random);
        float[] x = RandomWeights.activations(3, 70, random);
        Int8Activations xa = Int8Activations.quantize(x, 3, 70);
        float[] y = new float[3 * 6];
        Int8Products.multiply(w, xa, y, threads);
        int[] acc = oracle(w, xa.codes(), 3);
        for (int b = 0; b < 3; b++) {
            for (int r = 0; r < 6; r++) {
                assertThat(y[b * 6 + r]).isEqualTo(acc[b * 6 + r] * w.rowScales()[r] * xa.scales()[b]);
            }
        }
    }

    @Test
    void activationQuantizationRoundsHalfToEvenWithinPlusMinus127() {
        float[] x = {-2.54f, 0f, 1.27f, 2.54f, 0.01f, 0.015f, 0.025f};
        Int8Activations xa = Int8Activations.quantize(x, 1, x.length);
        assertThat(xa.scales()[0]).isEqualTo(0.02f);
        assertThat(xa.codes()).containsExactly(-127, 0, 64, 127, 0, 1, 1);
    }
}
