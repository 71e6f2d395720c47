package dev.mpq.sensitivity.onnx;

import static dev.mpq.sensitivity.onnx.OnnxFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mpq.sensitivity.calibration.CalibrationSample;
import dev.mpq.sensitivity.calibration.InputTensor;
import dev.mpq.sensitivity.runtime.OnnxRunner;
import dev.mpq.sensitivity.weights.ProtoWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OnnxModelEditor#withQuantizedActivations} run through ONNX Runtime against a scalar oracle
 * of the Java kernels' activation quantization (per row, symmetric, scale = absmax / qmax, codes
 * rounded half to even and clamped to -qmax..qmax, all-zero rows scale 1).
 */
class QuantizedActivationsTest {

    @TempDir
    Path dir;

    private static final int TOKENS = 4;
    private static final int IN = 5;
    private static final float[] W1 = randoms(IN * 3, 11); // [5, 3], MatMul x W1
    private static final float[] W2T = randoms(2 * 3, 12); // [2, 3], Gemm h W2T^T (transB = 1)
    private static final float[] W3 = randoms(IN * 2, 13); // [5, 2], MatMul x W3 (shares x with fc1)

    private static float[] randoms(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** h = x W1 (fc1), y = Gemm(h, W2T, transB) (fc2), z = x W3 (fc3); outputs h, y, z. */
    private Path model(long opset) throws IOException {
        ProtoWriter graph = new ProtoWriter()
                .stringField(2, "three-layers")
                .messageField(1, node("fc1", "MatMul", List.of("x", "W1"), List.of("h")))
                .messageField(1, node("fc2", "Gemm", List.of("h", "W2T"), List.of("y"), intAttribute("transB", 1)))
                .messageField(1, node("fc3", "MatMul", List.of("x", "W3"), List.of("z")))
                .messageField(5, rawFloat("W1", W1, IN, 3))
                .messageField(5, rawFloat("W2T", W2T, 2, 3))
                .messageField(5, rawFloat("W3", W3, IN, 2))
                .messageField(11, valueInfo("x", 1, TOKENS, IN))
                .messageField(12, valueInfo("h", 1, TOKENS, 3))
                .messageField(12, valueInfo("y", 1, TOKENS, 2))
                .messageField(12, valueInfo("z", 1, TOKENS, 2));
        ProtoWriter model = new ProtoWriter()
                .varintField(1, 8)
                .stringField(2, "mpq-test")
                .messageField(8, new ProtoWriter().stringField(1, "").varintField(2, opset))
                .messageField(7, graph);
        Path p = dir.resolve("opset" + opset + ".onnx");
        Files.write(p, model.toByteArray());
        return p;
    }

    /** Row 0 random, row 1 all zero, row 2 with exact halves (ties), row 3 random and large. */
    private static float[] input() {
        float[] x = new float[TOKENS * IN];
        Random r = new Random(7);
        for (int c = 0; c < IN; c++) {
            x[c] = (float) r.nextGaussian();
            x[3 * IN + c] = (float) (100 * r.nextGaussian());
        }
        // absmax 127 -> scale 1: 0.5 -> 0, 1.5 -> 2, -2.5 -> -2 (half to even)
        float[] ties = {127, 0.5f, 1.5f, -2.5f, 3.25f};
        System.arraycopy(ties, 0, x, 2 * IN, IN);
        return x;
    }

    /** The kernel's rule (Int8Activations.quantize with qmax), dequantized: code * scale. */
    static float[] fakeQuantizeRows(float[] x, int rows, int cols, int qmax) {
        float[] out = new float[x.length];
        for (int b = 0; b < rows; b++) {
            float absMax = 0;
            for (int c = 0; c < cols; c++) {
                absMax = Math.max(absMax, Math.abs(x[b * cols + c]));
            }
            float scale = absMax > 0 ? absMax / qmax : 1f;
            for (int c = 0; c < cols; c++) {
                long q = Math.round(Math.rint(x[b * cols + c] / scale));
                out[b * cols + c] = Math.max(-qmax, Math.min(qmax, q)) * scale;
            }
        }
        return out;
    }

    /** x [rows, in] times w stored [in, out] (or [out, in] when transposed). */
    private static double[] multiply(float[] x, float[] w, int rows, int in, int out, boolean transposed) {
        double[] y = new double[rows * out];
        for (int b = 0; b < rows; b++) {
            for (int o = 0; o < out; o++) {
                double s = 0;
                for (int i = 0; i < in; i++) {
                    s += (double) x[b * in + i] * (transposed ? w[o * in + i] : w[i * out + o]);
                }
                y[b * out + o] = s;
            }
        }
        return y;
    }

    private static Map<String, OnnxRunner.Output> run(OnnxNetwork net, Path file, float[] x) {
        CalibrationSample sample =
                new CalibrationSample(List.of(InputTensor.ofFloats("x", new long[] {TOKENS, IN}, x)));
        try (OnnxRunner.Session s = new OnnxRunner(net.model(), file, 1).open(Map.of())) {
            return s.run(sample, List.of());
        }
    }

    private static void assertClose(float[] actual, double[] expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(Float.isNaN(actual[i])).as("%s[%d] is NaN", what, i).isFalse();
            assertThat((double) actual[i])
                    .as("%s[%d]", what, i)
                    .isCloseTo(expected[i], within(1e-5 * Math.max(1, Math.abs(expected[i]))));
        }
    }

    @Test
    void int8InputsMatchTheKernelsRowQuantizationThenAFloatProductForOpsetsBeforeAndFrom18() throws IOException {
        for (long opset : new long[] {13, 17, 18}) {
            Path file = model(opset);
            OnnxNetwork net = OnnxNetwork.read(file);
            Path rewritten = OnnxModelEditor.withQuantizedActivations(
                    net.model(),
                    Map.of(net.layer("fc1"), 8, net.layer("fc2"), 8, net.layer("fc3"), 8),
                    dir.resolve("q" + opset + ".onnx"));
            float[] x = input();
            Map<String, OnnxRunner.Output> out = run(net, rewritten, x);
            float[] xq = fakeQuantizeRows(x, TOKENS, IN, 127);
            assertClose(out.get("h").values(), multiply(xq, W1, TOKENS, IN, 3, false), "h, opset " + opset);
            assertClose(out.get("z").values(), multiply(xq, W3, TOKENS, IN, 2, false), "z, opset " + opset);
            // fc2 quantizes ONNX Runtime's own h, so its oracle starts from that h exactly
            float[] hq = fakeQuantizeRows(out.get("h").values(), TOKENS, 3, 127);
            assertClose(out.get("y").values(), multiply(hq, W2T, TOKENS, 3, 2, true), "y, opset " + opset);
        }
    }

    @Test
    void allZeroRowsGiveZerosAndTiesRoundHalfToEven() throws IOException {
        OnnxNetwork net = OnnxNetwork.read(model(17));
        Path rewritten = OnnxModelEditor.withQuantizedActivations(
                net.model(), Map.of(net.layer("fc3"), 8), dir.resolve("q.onnx"));
        float[] x = input();
        float[] z = run(net, rewritten, x).get("z").values();
        assertThat(z[2]).isZero();
        assertThat(z[3]).isZero();
        // row 2 quantizes to {127, 0, 2, -2, 3}: hand-computed, not through the oracle
        float[] row = {127, 0, 2, -2, 3};
        for (int o = 0; o < 2; o++) {
            double expected = 0;
            for (int i = 0; i < IN; i++) {
                expected += row[i] * W3[i * 2 + o];
            }
            assertThat((double) z[4 + o]).isCloseTo(expected, within(1e-4));
        }
    }

    @Test
    void int4InputsUseSevenLevelsAndOnlyTheChosenLayersChange() throws IOException {
        OnnxNetwork net = OnnxNetwork.read(model(17));
        Path rewritten = OnnxModelEditor.withQuantizedActivations(
                net.model(), Map.of(net.layer("fc1"), 4), dir.resolve("q4.onnx"));
        float[] x = input();
        Map<String, OnnxRunner.Output> out = run(net, rewritten, x);
        float[] xq = fakeQuantizeRows(x, TOKENS, IN, 7);
        assertClose(out.get("h").values(), multiply(xq, W1, TOKENS, IN, 3, false), "h");
        assertClose(out.get("z").values(), multiply(x, W3, TOKENS, IN, 2, false), "z (float)");
        assertClose(out.get("y").values(), multiply(out.get("h").values(), W2T, TOKENS, 3, 2, true), "y (float)");
        assertThat(xq[2 * IN + 1]).as("0.5 of absmax 127 at int4 rounds to 0").isZero();
    }

    @Test
    void weightOverridesByNameStillApplyToTheRewrittenModel() throws IOException {
        OnnxNetwork net = OnnxNetwork.read(model(17));
        Path rewritten = OnnxModelEditor.withQuantizedActivations(
                net.model(), Map.of(net.layer("fc3"), 8), dir.resolve("q.onnx"));
        float[] w3 = new float[IN * 2];
        java.util.Arrays.fill(w3, 0.5f);
        float[] x = input();
        CalibrationSample sample =
                new CalibrationSample(List.of(InputTensor.ofFloats("x", new long[] {TOKENS, IN}, x)));
        try (OnnxRunner.Session s = new OnnxRunner(net.model(), rewritten, 1).open(Map.of("W3", w3))) {
            float[] z = s.run(sample, List.of("z")).get("z").values();
            assertClose(z, multiply(fakeQuantizeRows(x, TOKENS, IN, 127), w3, TOKENS, IN, 2, false), "z");
        }
    }

    @Test
    void rejectsBitsOutOfRangeAndOldOpsets() throws IOException {
        OnnxNetwork net = OnnxNetwork.read(model(17));
        assertThatThrownBy(() -> OnnxModelEditor.withQuantizedActivations(
                        net.model(), Map.of(net.layer("fc1"), 1), dir.resolve("bad.onnx")))
                .hasMessageContaining("2..16 bits");
        OnnxNetwork old = OnnxNetwork.read(model(10));
        assertThatThrownBy(() -> OnnxModelEditor.withQuantizedActivations(
                        old.model(), Map.of(old.layer("fc1"), 8), dir.resolve("old.onnx")))
                .hasMessageContaining("opset >= 11");
    }
}
