package dev.mpq.devices.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mpq.devices.kernels.Int8Activations;
import dev.mpq.devices.kernels.Int8Products;
import dev.mpq.devices.kernels.Int8Weights;
import dev.mpq.devices.kernels.KernelThreads;
import dev.mpq.devices.ort.OnnxGraphs;
import dev.mpq.sensitivity.calibration.CalibrationSample;
import dev.mpq.sensitivity.calibration.InputTensor;
import dev.mpq.sensitivity.onnx.OnnxLayer;
import dev.mpq.sensitivity.onnx.OnnxModelEditor;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import dev.mpq.sensitivity.runtime.OnnxRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output error with activation formats applied, checked against the Java int8 x int8 kernel. */
class NetworkOutputErrorTest {

    @TempDir
    Path dir;

    private static final int ROWS = 48;
    private static final int COLS = 64;

    /** Random int8 weights (codes -127..127, per-row scales) and the model holding them as floats. */
    private Int8Weights weights() {
        SplittableRandom random = new SplittableRandom(21);
        byte[] codes = new byte[ROWS * COLS];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) random.nextInt(-127, 128);
        }
        float[] scales = new float[ROWS];
        for (int r = 0; r < ROWS; r++) {
            scales[r] = (float) (0.001 + 0.01 * random.nextDouble());
        }
        return new Int8Weights(ROWS, COLS, codes, scales);
    }

    private Path model(Int8Weights w) throws Exception {
        float[] dense = new float[ROWS * COLS];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLS; c++) {
                dense[r * COLS + c] = w.weight(r, c);
            }
        }
        Path model = dir.resolve("matmul.onnx");
        Files.write(model, OnnxGraphs.matMul(dense, ROWS, COLS));
        return model;
    }

    @Test
    void theRewrittenModelComputesWhatTheInt8KernelComputes() throws Exception {
        Int8Weights w = weights();
        OnnxNetwork net = OnnxNetwork.read(model(w));
        OnnxLayer layer = net.layers().get(0);
        Path rewritten = OnnxModelEditor.withQuantizedActivations(
                net.model(), Map.of(layer, 8), dir.resolve("activations.onnx"));
        int batch = 5;
        SplittableRandom random = new SplittableRandom(22);
        float[] x = new float[batch * COLS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 6 - 3);
        }
        java.util.Arrays.fill(x, 2 * COLS, 3 * COLS, 0f); // an all-zero token
        float[] expected = new float[batch * ROWS];
        try (KernelThreads threads = new KernelThreads(1)) {
            Int8Products.multiply(w, Int8Activations.quantize(x, batch, COLS), expected, threads);
        }
        CalibrationSample sample =
                new CalibrationSample(List.of(InputTensor.ofFloats("A", new long[] {batch, COLS}, x)));
        float[] y;
        try (OnnxRunner.Session s = new OnnxRunner(net.model(), rewritten, 1).open(Map.of())) {
            y = s.run(sample, List.of("Y")).get("Y").values();
        }
        assertThat(y).hasSameSizeAs(expected);
        for (int i = 0; i < y.length; i++) {
            assertThat(y[i]).as("Y[%d]", i).isCloseTo(expected[i], within(2e-5f * Math.max(1, Math.abs(expected[i]))));
        }
        for (int r = 0; r < ROWS; r++) {
            assertThat(y[2 * ROWS + r]).as("all-zero token, row %d", r).isZero();
        }
    }

    @Test
    void integerActivationFormatsAddErrorAndSayWhichLayersWereQuantized() throws Exception {
        Path model = model(weights());
        String layer = OnnxNetwork.read(model).layers().get(0).name();
        try (NetworkOutputError errors = new NetworkOutputError(1)) {
            NetworkOutputError.Result float32 = errors.measure(model, Map.of(layer, "fp32"));
            NetworkOutputError.Result int8 = errors.measure(model, Map.of(layer, "int8"));
            NetworkOutputError.Result int8Int8 = errors.measure(model, Map.of(layer, "int8:int8"));
            NetworkOutputError.Result activationsOnly = errors.measure(model, Map.of(layer, "fp32:int8"));
            NetworkOutputError.Result int4Int4 = errors.measure(model, Map.of(layer, "int4:int4"));
            NetworkOutputError.Result fp8Activations = errors.measure(model, Map.of(layer, "int8:fp8-e4m3"));

            assertThat(float32.error()).isZero();
            assertThat(float32.metric()).contains("activations float in all layers");
            assertThat(activationsOnly.error()).isPositive();
            assertThat(int8Int8.error()).isGreaterThan(int8.error());
            assertThat(int4Int4.error()).isGreaterThan(int8Int8.error());
            assertThat(int8Int8.metric())
                    .contains("1 of 1 layers' weights quantized", "in 1 layers (1 int8)", "per-row symmetric");
            assertThat(int4Int4.metric()).contains("in 1 layers (1 int4)");
            assertThat(fp8Activations.error()).isEqualTo(int8.error());
            assertThat(fp8Activations.metric()).contains("left float", "not emulated", layer + " (fp8-e4m3)");
        }
    }
}
