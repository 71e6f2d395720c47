package dev.mpq.sensitivity.onnx;

import static dev.mpq.sensitivity.onnx.OnnxFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mpq.core.FormatCatalog;
import dev.mpq.sensitivity.calibration.CalibrationSample;
import dev.mpq.sensitivity.calibration.InputTensor;
import dev.mpq.sensitivity.format.Quantizer;
import dev.mpq.sensitivity.profile.ProfileOptions;
import dev.mpq.sensitivity.profile.Profiles;
import dev.mpq.sensitivity.profile.ProgressListener;
import dev.mpq.sensitivity.profile.SensitivityProfile;
import dev.mpq.sensitivity.runtime.ActivationStatistics;
import dev.mpq.sensitivity.runtime.OnnxRunner;
import dev.mpq.sensitivity.runtime.OutputMetric;
import dev.mpq.sensitivity.weights.ProtoWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small models run through ONNX Runtime: weight replacement, extra outputs, estimators end to end. */
class OnnxRuntimeRoundTripTest {

    @TempDir
    Path dir;

    private static final float[] W1 = {0.5f, -1, 0.25f, 2, 0, 1, -0.5f, 0.75f, 1.5f, -2, 0.125f, 0.3f}; // [4, 3]
    private static final float[] W2 = {1, -1, 0.5f, 0.5f, 2, 0}; // [3, 2]

    /** y = (x W1) W2; x [1, 4]; W1 an initializer, W2 an initializer or a Constant node. */
    private Path twoLayers(boolean secondInConstant) throws IOException {
        ProtoWriter graph = new ProtoWriter()
                .stringField(2, "two-layers")
                .messageField(1, node("fc1", "MatMul", List.of("x", "W1"), List.of("h")));
        if (secondInConstant) {
            graph.messageField(
                    1,
                    node(
                            "c",
                            "Constant",
                            List.of(),
                            List.of("W2"),
                            tensorAttribute("value", rawFloat(null, W2, 3, 2))));
        }
        graph.messageField(1, node("fc2", "MatMul", List.of("h", "W2"), List.of("y")))
                .messageField(5, rawFloat("W1", W1, 4, 3));
        if (!secondInConstant) {
            graph.messageField(5, rawFloat("W2", W2, 3, 2));
        }
        graph.messageField(11, valueInfo("x", 1, 1, 4)).messageField(12, valueInfo("y", 1, 1, 2));
        Path p = dir.resolve(secondInConstant ? "constant.onnx" : "init.onnx");
        Files.write(p, model(graph).toByteArray());
        return p;
    }

    private static CalibrationSample sample(float... x) {
        return new CalibrationSample(List.of(InputTensor.ofFloats("x", new long[] {1, 4}, x)));
    }

    private static float[] forward(float[] x, float[] w1, float[] w2) {
        float[] h = new float[3];
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 4; i++) {
                h[o] += x[i] * w1[i * 3 + o];
            }
        }
        float[] y = new float[2];
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < 3; i++) {
                y[o] += h[i] * w2[i * 2 + o];
            }
        }
        return y;
    }

    @Test
    void replacesInitializersAndConstantNodeWeights() throws IOException {
        for (boolean constant : new boolean[] {false, true}) {
            OnnxNetwork net = OnnxNetwork.read(twoLayers(constant));
            assertThat(net.layer("fc2").inConstantNode()).isEqualTo(constant);
            OnnxRunner runner = new OnnxRunner(net.model(), net.model().path(), 1);
            float[] x = {1, 2, -1, 0.5f};
            try (OnnxRunner.Session s = runner.open(Map.of())) {
                float[] y = s.run(sample(x), List.of()).get("y").values();
                float[] expected = forward(x, W1, W2);
                assertThat(y[0]).isCloseTo(expected[0], within(1e-5f));
                assertThat(y[1]).isCloseTo(expected[1], within(1e-5f));
            }
            float[] w2 = {2, 0, 0, 1, 1, 1};
            float[] w1 = new float[12];
            java.util.Arrays.fill(w1, 0.5f);
            try (OnnxRunner.Session s = runner.open(Map.of("W1", w1, "W2", w2))) {
                float[] y = s.run(sample(x), List.of()).get("y").values();
                float[] expected = forward(x, w1, w2);
                assertThat(y[0]).as("constant=%s", constant).isCloseTo(expected[0], within(1e-5f));
                assertThat(y[1]).as("constant=%s", constant).isCloseTo(expected[1], within(1e-5f));
            }
        }
    }

    @Test
    void collectsPerChannelSecondMomentsOfLayerInputs() throws IOException {
        OnnxNetwork net = OnnxNetwork.read(twoLayers(false));
        float[] a = {1, 2, -1, 0.5f};
        float[] b = {-3, 0, 0.25f, 1};
        ActivationStatistics stats =
                ActivationStatistics.collect(net, List.of(sample(a), sample(b)), 1, ProgressListener.NONE);
        double[] x2 = stats.byLayer().get("fc1");
        for (int c = 0; c < 4; c++) {
            assertThat(x2[c]).isCloseTo((a[c] * a[c] + b[c] * b[c]) / 2.0, within(1e-6));
        }
        double[] h2 = stats.byLayer().get("fc2");
        float[] ha = hidden(a);
        float[] hb = hidden(b);
        for (int c = 0; c < 3; c++) {
            assertThat(h2[c]).isCloseTo((ha[c] * ha[c] + hb[c] * hb[c]) / 2.0, within(1e-5));
        }
    }

    @Test
    void collectsRelativeMeansWithEachInputScaledByItsLayerOutputNorm() throws IOException {
        OnnxNetwork net = OnnxNetwork.read(twoLayers(false));
        float[] a = {1, 2, -1, 0.5f};
        float[] b = {-3, 0, 0.25f, 1};
        ActivationStatistics stats =
                ActivationStatistics.collect(net, List.of(sample(a), sample(b)), 1, true, ProgressListener.NONE);
        // one token per sample: xtilde_s = x_s / ||y_s||, y = fc1's output = hidden(x)
        double na = norm(hidden(a));
        double nb = norm(hidden(b));
        double[] v = stats.relativeMeansByLayer().get("fc1");
        assertThat(v).hasSize(8);
        for (int i = 0; i < 4; i++) {
            assertThat(v[i]).as("sample a, channel %d", i).isCloseTo(a[i] / na, within(1e-6));
            assertThat(v[4 + i]).as("sample b, channel %d", i).isCloseTo(b[i] / nb, within(1e-6));
        }
        assertThat(stats.relativeMeansByLayer().get("fc2")).hasSize(6);
        assertThat(ActivationStatistics.collect(net, List.of(sample(a)), 1, ProgressListener.NONE)
                        .relativeMeansByLayer())
                .isEmpty();
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    private static float[] hidden(float[] x) {
        float[] h = new float[3];
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 4; i++) {
                h[o] += x[i] * W1[i * 3 + o];
            }
        }
        return h;
    }

    @Test
    void profilesEveryMethodEndToEnd() throws IOException {
        Path file = twoLayers(false);
        ProfileOptions options = ProfileOptions.defaults().withThreads(1).withGenerated(4, 1, 7);
        SensitivityProfile we =
                Profiles.compute(file, "weight-error", List.of("int8", "int2"), options, ProgressListener.NONE);
        OnnxNetwork net = OnnxNetwork.read(file);
        WeightMatrix m = net.layer("fc1").matrix(net.model());
        assertThat(we.layer("fc1").penalties().get("int2"))
                .isEqualTo(Quantizer.of(FormatCatalog.byId("int2")).squaredError(m.data(), m.rows(), m.cols()));
        assertThat(we.layer("fc1").shape()).containsExactly(3L, 4L);
        for (String method : Profiles.METHODS) {
            SensitivityProfile p = Profiles.compute(
                    file, method, List.of("int8", "int2"), options.withMetric(OutputMetric.MSE), ProgressListener.NONE);
            assertThat(p.method()).isEqualTo(method);
            assertThat(p.layers()).hasSize(2);
            for (var layer : p.layers()) {
                assertThat(layer.penalties().get("int2"))
                        .as("%s %s", method, layer.name())
                        .isGreaterThan(layer.penalties().get("int8"));
            }
            assertThat(p.toJson()).contains("\"method\":\"" + method + "\"").contains("\"penalties\":{\"int8\":");
        }
        SensitivityProfile gains = Profiles.compute(
                file, "activation-weighted", List.of("int4"), options.withOutputGains(true), ProgressListener.NONE);
        assertThat(gains.inputs()).containsKey("variant");
    }

    @Test
    void uploadedCalibrationInputsFeedTheStatistics() throws IOException {
        Path file = twoLayers(false);
        float[] xs = {1, 2, -1, 0.5f, -3, 0, 0.25f, 1, 0, 0, 0, 2};
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(48).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : xs) {
            data.putFloat(v);
        }
        byte[] header = "{\"x\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]}}".getBytes();
        java.nio.ByteBuffer all =
                java.nio.ByteBuffer.allocate(8 + header.length + 48).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        all.putLong(header.length).put(header).put(data.array());
        Path calibration = dir.resolve("calibration.safetensors");
        Files.write(calibration, all.array());
        OnnxNetwork net = OnnxNetwork.read(file);
        List<CalibrationSample> samples =
                Profiles.calibration(net, ProfileOptions.defaults().withCalibrationInputs(calibration));
        assertThat(samples).hasSize(3);
        assertThat(samples.get(1).input("x").floats()).containsExactly(-3, 0, 0.25f, 1);
        assertThat(samples.get(1).input("x").shape()).containsExactly(1, 4);
        ActivationStatistics stats = ActivationStatistics.collect(net, samples, 1, ProgressListener.NONE);
        assertThat(stats.byLayer().get("fc1")[0]).isCloseTo((1 + 9 + 0) / 3.0, within(1e-6));
        SensitivityProfile p = Profiles.compute(
                file,
                "activation-weighted",
                List.of("int4"),
                ProfileOptions.defaults().withCalibrationInputs(calibration),
                ProgressListener.NONE);
        assertThat(p.inputs().get("calibration")).isEqualTo("3 uploaded samples from calibration.safetensors");
    }

    @Test
    void weightsFedAsInputsMeasureLikeAddInitializerOverrides() throws IOException {
        OnnxNetwork net = OnnxNetwork.read(twoLayers(false));
        List<CalibrationSample> samples = List.of(sample(1, 2, -1, 0.5f), sample(-3, 0, 0.25f, 1));
        float[] w1 = W1.clone();
        w1[4] += 0.5f;
        float[] w2 = W2.clone();
        w2[0] = 0;
        try (var overrides = new dev.mpq.sensitivity.runtime.NetworkErrorMeter(
                        net.model(), samples, OutputMetric.MSE, false, 1);
                var fed = new dev.mpq.sensitivity.runtime.NetworkErrorMeter(
                        net.model(), samples, OutputMetric.MSE, false, 1, true)) {
            for (Map<String, float[]> replacement :
                    List.of(Map.of("W1", w1), Map.of("W2", w2), Map.of("W1", w1, "W2", w2))) {
                double a = overrides.measure(replacement);
                double b = fed.measure(replacement);
                assertThat(a).isGreaterThan(0);
                assertThat(b).isCloseTo(a, within(1e-6 * a));
            }
            assertThat(fed.measure(Map.of())).isZero();
        }
    }

    @Test
    void invalidRequestsNameTheProblem() throws IOException {
        Path file = twoLayers(false);
        ProfileOptions options = ProfileOptions.defaults();
        assertThatThrownBy(() -> Profiles.compute(file, "magic", List.of(), options, ProgressListener.NONE))
                .hasMessageContaining("Unknown method 'magic'");
        assertThatThrownBy(
                        () -> Profiles.compute(file, "weight-error", List.of("int9"), options, ProgressListener.NONE))
                .hasMessageContaining("Unknown numeric format 'int9'");
        assertThatThrownBy(() -> Profiles.compute(
                        dir.resolve("missing.onnx"), "weight-error", List.of(), options, ProgressListener.NONE))
                .hasMessageContaining("missing.onnx");
        assertThatThrownBy(() -> Profiles.compute(
                        file, "hawq", List.of(), options.withHawqTraces(dir.resolve("t.csv")), ProgressListener.NONE))
                .hasMessageContaining("t.csv");
        Files.writeString(dir.resolve("traces.csv"), "layer,trace\nfc1,2.5\n");
        assertThatThrownBy(() -> Profiles.compute(
                        file,
                        "hawq",
                        List.of(),
                        options.withHawqTraces(dir.resolve("traces.csv")),
                        ProgressListener.NONE))
                .hasMessageContaining("lack 1 layer(s): [fc2]");
    }
}
