package dev.mpq.devices.worker;

import dev.mpq.core.Precision;
import dev.mpq.sensitivity.calibration.CalibrationSample;
import dev.mpq.sensitivity.format.Quantizer;
import dev.mpq.sensitivity.onnx.OnnxLayer;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import dev.mpq.sensitivity.onnx.WeightMatrix;
import dev.mpq.sensitivity.profile.ProfileOptions;
import dev.mpq.sensitivity.profile.Profiles;
import dev.mpq.sensitivity.runtime.NetworkErrorMeter;
import dev.mpq.sensitivity.runtime.OutputMetric;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output error of a network with a configuration applied, through ONNX Runtime: every layer's
 * weights fake-quantized to its precision's weight format (exactly as {@code sensitivity} quantizes),
 * the network run on the default generated calibration inputs, and the MSE of its (mean-pooled)
 * output against the float network averaged over the samples. Activation formats ({@code int8:int8}'s
 * second half) are not emulated: activations stay float. The float reference is computed once per
 * model file and kept until {@link #close()}.
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
        int quantized = 0;
        for (Map.Entry<String, String> e : precisions.entrySet()) {
            OnnxLayer layer = l.network().layer(e.getKey());
            Precision precision = Precision.parse(e.getValue());
            if (precision.weight().id().equals("fp32")) {
                continue; // the identity: the float weights stay
            }
            WeightMatrix m = layer.matrix(l.network().model());
            float[] q = new float[m.data().length];
            Quantizer.of(precision.weight()).fakeQuantize(m.data(), m.rows(), m.cols(), q);
            replacements.put(layer.weight().name(), layer.toStored(new WeightMatrix(q, m.rows(), m.cols())));
            quantized++;
        }
        double error = replacements.isEmpty() ? 0.0 : l.meter().measure(replacements);
        return new Result(
                error,
                "%s; %d of %d layers' weights quantized, activations float"
                        .formatted(l.description(), quantized, precisions.size()));
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
