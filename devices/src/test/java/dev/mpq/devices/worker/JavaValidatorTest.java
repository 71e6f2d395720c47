package dev.mpq.devices.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpq.core.worker.ValidateLayer;
import dev.mpq.devices.kernels.KernelThreads;
import dev.mpq.devices.measure.Trials;
import dev.mpq.devices.ort.OnnxGraphs;
import dev.mpq.devices.profile.LayerTimer;
import dev.mpq.sensitivity.onnx.OnnxLayer;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java validation run on a real (one-MatMul) ONNX model: per-layer and total latency from the
 * kernels, the output error through ONNX Runtime with the configuration's weight formats applied.
 * Latencies are checked for presence only, never for speed.
 */
class JavaValidatorTest {

    @TempDir
    Path dir;

    private static final Trials QUICK = new Trials(0, 3, 1e-3);

    private Path matMulModel(int out, int in) throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextDouble() * 2 - 1);
        }
        Path model = dir.resolve("matmul.onnx");
        Files.write(model, OnnxGraphs.matMul(w, out, in));
        return model;
    }

    @Test
    void measuresEveryLayerTheTotalAndTheOutputErrorOfTheQuantizedModel() throws Exception {
        Path model = matMulModel(48, 64);
        OnnxLayer layer = OnnxNetwork.read(model).layers().get(0);
        assertThat(layer.spec().shape()).containsExactly(48L, 64L);
        try (KernelThreads threads = new KernelThreads(2);
                NetworkOutputError errors = new NetworkOutputError(1)) {
            JavaValidator validator =
                    new JavaValidator(new LayerTimer(threads, QUICK, 1 << 20), QUICK, errors, "test env", 1L << 30);
            List<ValidateLayer> int4 = List.of(
                    new ValidateLayer(
                            layer.name(),
                            layer.spec().kind().id(),
                            layer.spec().shape(),
                            layer.spec().macs(),
                            "int4-g32"),
                    new ValidateLayer("extra", "linear", List.of(32L, 48L), 0L, "int8:int8"));
            // "extra" is not in the model: latency is measured, the error is not
            ConfigurationValidator.Outcome noError =
                    validator.validate(int4, 2, Optional.of(model), () -> false).orElseThrow();
            assertThat(noError.layerSeconds()).containsOnlyKeys(layer.name(), "extra");
            assertThat(noError.layerSeconds().values()).allMatch(s -> s > 0);
            assertThat(noError.totalSeconds()).isPositive();
            assertThat(noError.outputError()).isNull();
            assertThat(noError.errorMetric()).startsWith("not measured").contains("extra");
            assertThat(noError.environment()).startsWith("test env").contains("timed sequential run of the 2 layers");

            ConfigurationValidator.Outcome quantized = validator
                    .validate(int4.subList(0, 1), 1, Optional.of(model), () -> false)
                    .orElseThrow();
            assertThat(quantized.outputError()).isPositive();
            assertThat(quantized.errorMetric()).contains("mse of the output", "1 of 1 layers' weights quantized");

            ConfigurationValidator.Outcome float32 = validator
                    .validate(
                            List.of(new ValidateLayer(
                                    layer.name(),
                                    layer.spec().kind().id(),
                                    layer.spec().shape(),
                                    layer.spec().macs(),
                                    "fp32")),
                            1,
                            Optional.of(model),
                            () -> false)
                    .orElseThrow();
            assertThat(float32.outputError())
                    .as("fp32 weights are the float network")
                    .isZero();

            ConfigurationValidator.Outcome int8 = validator
                    .validate(
                            List.of(new ValidateLayer(
                                    layer.name(),
                                    layer.spec().kind().id(),
                                    layer.spec().shape(),
                                    layer.spec().macs(),
                                    "int8")),
                            1,
                            Optional.of(model),
                            () -> false)
                    .orElseThrow();
            assertThat(int8.outputError()).isPositive().isLessThan(quantized.outputError());
        }
    }

    @Test
    void withoutAModelOnlyLatencyIsMeasuredAndBigConfigurationsFallBackToTheSumOfLayers() throws Exception {
        try (KernelThreads threads = new KernelThreads(1);
                NetworkOutputError errors = new NetworkOutputError(1)) {
            List<ValidateLayer> layers = List.of(
                    new ValidateLayer("a", "linear", List.of(64L, 64L), 0L, "int8"),
                    new ValidateLayer("b", "linear", List.of(64L, 64L), 0L, "int8"),
                    new ValidateLayer("c", "linear", List.of(128L, 64L), 0L, "fp32"));
            JavaValidator tight = new JavaValidator(new LayerTimer(threads, QUICK, 1 << 20), QUICK, errors, "env", 1);
            ConfigurationValidator.Outcome o =
                    tight.validate(layers, 1, Optional.empty(), () -> false).orElseThrow();
            assertThat(o.outputError()).isNull();
            assertThat(o.errorMetric()).isNull();
            assertThat(o.layerSeconds().get("a"))
                    .as("layers of the same shape and precision share one measurement")
                    .isEqualTo(o.layerSeconds().get("b"));
            assertThat(o.totalSeconds())
                    .isEqualTo(o.layerSeconds().values().stream()
                            .mapToDouble(Double::doubleValue)
                            .sum());
            assertThat(o.environment()).contains("sum of the per-layer medians", "2 distinct items");
        }
    }

    @Test
    void aPrecisionWithoutAKernelCannotRunAndCancellingReturnsNothing() throws Exception {
        try (KernelThreads threads = new KernelThreads(1);
                NetworkOutputError errors = new NetworkOutputError(1)) {
            JavaValidator validator =
                    new JavaValidator(new LayerTimer(threads, QUICK, 1 << 20), QUICK, errors, "env", 1L << 30);
            List<ValidateLayer> fp6 = List.of(new ValidateLayer("a", "linear", List.of(8L, 8L), 0L, "fp6-e3m2"));
            assertThatThrownBy(() -> validator.validate(fp6, 1, Optional.empty(), () -> false))
                    .isInstanceOf(ConfigurationValidator.CannotRun.class)
                    .hasMessageContaining("a (fp6-e3m2)");
            List<ValidateLayer> ok = List.of(new ValidateLayer("a", "linear", List.of(8L, 8L), 0L, "int8"));
            assertThat(validator.validate(ok, 1, Optional.empty(), () -> true)).isEmpty();
        }
    }
}
