package dev.mpq.devices.ort;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.devices.kernels.Fp32Weights;
import dev.mpq.devices.kernels.GroupIntWeights;
import dev.mpq.devices.kernels.Int8Weights;
import dev.mpq.devices.kernels.RandomWeights;
import dev.mpq.devices.kernels.ScalarOracle;
import dev.mpq.devices.kernels.WeightMatrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written ONNX graphs compute what the Java oracle computes (which also checks the protobuf writer). */
class OrtProductTest {

    @Test
    void matMulIntegerEqualsTheExactInt8Sums() {
        SplittableRandom random = new SplittableRandom(11);
        Int8Weights w = (Int8Weights) RandomWeights.of("int8", 37, 200, random);
        int m = 5;
        byte[] a = new byte[m * 200];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) random.nextInt(-128, 128);
        }
        int[] expected = new int[m * 37];
        ScalarOracle.multiplyExact(w, a, m, expected);
        try (OrtProduct ort = OrtProduct.create(OnnxGraphs.matMulInteger(w), 1)) {
            assertThat(ort.int8Input(a, m, 200).runInt()).containsExactly(expected);
        }
        try (OrtProduct ort = OrtProduct.create(OnnxGraphs.matMulIntegerUnsignedActivations(w), 2)) {
            assertThat(ort.uint8Input(a, m, 200).runInt()).containsExactly(expected);
        }
    }

    @Test
    void matMulNBitsEqualsTheInt4GroupOracle() {
        SplittableRandom random = new SplittableRandom(12);
        for (String format : new String[] {"int4-g128", "int4-g32"}) {
            GroupIntWeights w = (GroupIntWeights) RandomWeights.of(format, 19, 256, random);
            int m = 3;
            float[] a = RandomWeights.activations(m, 256, random);
            try (OrtProduct ort = OrtProduct.create(OnnxGraphs.matMulNBits(w), 2)) {
                assertClose(w, a, m, ort.floatInput(a, m, 256).runFloat());
            }
        }
    }

    @Test
    void matMulEqualsTheFp32Oracle() {
        SplittableRandom random = new SplittableRandom(13);
        Fp32Weights w = (Fp32Weights) RandomWeights.of("fp32", 21, 70, random);
        float[] a = RandomWeights.activations(4, 70, random);
        try (OrtProduct ort = OrtProduct.create(OnnxGraphs.matMul(w.values(), 21, 70), 1)) {
            assertClose(w, a, 4, ort.floatInput(a, 4, 70).runFloat());
        }
    }

    private static void assertClose(WeightMatrix w, float[] a, int m, float[] actual) {
        float[] expected = new float[m * w.rows()];
        ScalarOracle.multiply(w, a, m, expected);
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i])
                    .as("%s entry %d", w.formatId(), i)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }
}
