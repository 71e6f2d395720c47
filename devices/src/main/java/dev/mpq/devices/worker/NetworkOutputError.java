package dev.mpq.devices.worker;

import dev.mpq.core.NumericFormat;
import dev.mpq.core.Precision;
import dev.mpq.sensitivity.calibration.CalibrationSample;
import dev.mpq.sensitivity.format.Quantizer;
import dev.mpq.sensitivity.onnx.OnnxLayer;
import dev.mpq.sensitivity.onnx.OnnxModelEditor;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import dev.mpq.sensitivity.onnx.WeightMatrix;
import dev.mpq.sensitivity.profile.ProfileOptions;
import dev.mpq.sensitivity.profile.Profiles;
import dev.mpq.sensitivity.runtime.NetworkErrorMeter;
import dev.mpq.sensitivity.runtime.OutputMetric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The output error of a network with a configuration applied, through ONNX Runtime: every layer's
 * weights fake-quantized to its precision's weight format (exactly as {@code sensitivity} quantizes),
 * the network run on the default generated calibration inputs, and the MSE of its (mean-pooled)
 * output against the float network averaged over the samples. The float reference is computed once
 * per model file and kept until {@link #close()}.
 *
 * <p>Activation formats: a precision with a symmetric per-channel integer activation format
 * ({@code int2}..{@code int8}, e.g. {@code int8:int8}, {@code int4:int4}) on a MatMul/Gemm layer has
 * its data input fake-quantized exactly as the Java kernels quantize activations ({@code
 * kernels.Int8Activations}): dynamic, per row (token), symmetric, scale = absmax / (2^(bits-1) - 1)
 * in float32 (1 for an all-zero row), codes rounded half to even and clamped to +-(2^(bits-1) - 1).
 * That runs a rewrite of the model ({@code OnnxModelEditor.withQuantizedActivations}, a temporary
 * file per measurement). Other activation formats (asymmetric, grouped, float, MX) and other layers
 * (Conv, layers inside subgraphs) leave activations float; the metric string counts the quantized
 * layers per bit width and lists the others.
 */
public final class NetworkOutputError implements AutoCloseable {

    /** The error and how it was measured (the report's {@code errorMetric}). */
    public record Result(double error, String metric) {}

    private record Loaded(OnnxNetwork network, NetworkErrorMeter meter, String description) {}

    private final int threads;
    private final Map<Path, Loaded> loaded = new HashMap<>();

    public NetworkOutputError(int threads) {
        this.threads = threads;
    }

    /**
     * Measures the model with {@code precisions} (layer name to precision id) applied.
     *
     * @throws IllegalArgumentException when a layer is not in the model, or a format is unknown
     */
    public synchronized Result measure(Path model, Map<String, String> precisions) {
        Loaded l = loaded.computeIfAbsent(model, this::load);
        Map<String, float[]> replacements = new LinkedHashMap<>();
        Map<OnnxLayer, Integer> activationBits = new LinkedHashMap<>();
        List<String> floatActivations = new ArrayList<>();
        int quantized = 0;
        for (Map.Entry<String, String> e : precisions.entrySet()) {
            OnnxLayer layer = l.network().layer(e.getKey());
            Precision precision = Precision.parse(e.getValue());
            if (!precision.weightOnly()) {
                if (emulated(precision.activation()) && rewritable(l, layer)) {
                    activationBits.put(layer, precision.activation().elementBits());
                } else if (!precision.activation().id().equals("fp32")) {
                    floatActivations.add(
                            layer.name() + " (" + precision.activation().id() + ")");
                }
            }
            if (precision.weight().id().equals("fp32")) {
                continue; // the identity: the float weights stay
            }
            WeightMatrix m = layer.matrix(l.network().model());
            float[] q = new float[m.data().length];
            Quantizer.of(precision.weight()).fakeQuantize(m.data(), m.rows(), m.cols(), q);
            replacements.put(layer.weight().name(), layer.toStored(new WeightMatrix(q, m.rows(), m.cols())));
            quantized++;
        }
        double error;
        if (!activationBits.isEmpty()) {
            error = measureWithActivations(l, activationBits, replacements);
        } else {
            error = replacements.isEmpty() ? 0.0 : l.meter().measure(replacements);
        }
        String activations = activationBits.isEmpty()
                ? "activations float in all layers"
                : "activations fake-quantized (dynamic per-row symmetric int, as the Java kernels) in %d layers (%s), float in the others"
                        .formatted(activationBits.size(), bitsSummary(activationBits));
        if (!floatActivations.isEmpty()) {
            activations += "; activations left float (format or layer kind not emulated): "
                    + String.join(", ", floatActivations);
        }
        return new Result(
                error,
                "%s; %d of %d layers' weights quantized, %s"
                        .formatted(l.description(), quantized, precisions.size(), activations));
    }

    /** Symmetric per-channel integer formats: what the kernels' dynamic per-row activation rule covers. */
    static boolean emulated(NumericFormat format) {
        return format.family() == NumericFormat.Family.INT && format.blockSize() == 0 && !format.asymmetric();
    }

    /** MatMul/Gemm nodes of the main graph: what {@code withQuantizedActivations} rewrites. */
    private static boolean rewritable(Loaded l, OnnxLayer layer) {
        String op = layer.node().opType();
        return (op.equals("MatMul") || op.equals("Gemm"))
                && l.network().model().graph().nodes().stream().anyMatch(n -> n == layer.node());
    }

    private static String bitsSummary(Map<OnnxLayer, Integer> bits) {
        Map<Integer, Integer> count = new TreeMap<>(Comparator.reverseOrder());
        bits.values().forEach(b -> count.merge(b, 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        count.forEach((b, n) -> parts.add("%d int%d".formatted(n, b)));
        return String.join(", ", parts);
    }

    private double measureWithActivations(
            Loaded l, Map<OnnxLayer, Integer> activationBits, Map<String, float[]> replacements) {
        Path rewritten = null;
        try {
            rewritten = Files.createTempFile("mpq-activations-", ".onnx");
            OnnxModelEditor.withQuantizedActivations(l.network().model(), activationBits, rewritten);
            return l.meter().measure(rewritten, replacements);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing a model with quantized activations", e);
        } finally {
            if (rewritten != null) {
                try {
                    Files.deleteIfExists(rewritten);
                } catch (IOException e) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    private Loaded load(Path model) {
        OnnxNetwork network = OnnxNetwork.read(model);
        ProfileOptions options = ProfileOptions.defaults().withThreads(threads);
        List<CalibrationSample> samples = Profiles.calibration(network, options);
        NetworkErrorMeter meter = new NetworkErrorMeter(network.model(), samples, OutputMetric.MSE, true, threads);
        boolean pooled = network.model().graph().outputs().get(0).shape().size() == 3;
        String description = "mse of the %soutput '%s' against float, %d generated samples (length %d, seed %d)"
                .formatted(
                        pooled ? "mean-pooled " : "",
                        meter.outputName(),
                        samples.size(),
                        options.sequenceLength(),
                        options.seed());
        return new Loaded(network, meter, description);
    }

    @Override
    public synchronized void close() {
        loaded.values().forEach(l -> l.meter().close());
        loaded.clear();
    }
}
