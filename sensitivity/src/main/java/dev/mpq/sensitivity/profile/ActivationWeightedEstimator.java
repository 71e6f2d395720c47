package dev.mpq.sensitivity.profile;

import dev.mpq.core.NumericFormat;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import dev.mpq.sensitivity.runtime.ActivationStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code activation-weighted}: penalty = sum over input channels c of E[x_c^2] x sum over outputs of
 * (Q(W) - W)_{.c}^2, the diagonal-Hessian (GPTQ/OBQ) estimate of the output error a layer's
 * quantization causes. Layers without statistics (inside subgraphs) fall back to the plain weight
 * error times the network-wide mean E[x^2], and {@code inputs} names them.
 */
public final class ActivationWeightedEstimator {

    public static final String METHOD = "activation-weighted";

    private ActivationWeightedEstimator() {}

    public static SensitivityProfile estimate(
            OnnxNetwork network,
            List<NumericFormat> formats,
            ActivationStatistics statistics,
            String calibrationDescription,
            int threads,
            ProgressListener progress) {
        double meanAll = statistics.byLayer().values().stream()
                .flatMapToDouble(java.util.Arrays::stream)
                .average()
                .orElse(1);
        List<String> missing = network.layers().stream()
                .map(l -> l.name())
                .filter(n -> !statistics.byLayer().containsKey(n))
                .toList();
        List<LayerPenalties> layers = WeightPenalties.compute(
                network,
                formats,
                (layer, m, q, scratch) -> {
                    double[] w = statistics.columnWeights(layer, m.cols());
                    return w == null
                            ? meanAll * LayerErrors.total(q, m, scratch)
                            : LayerErrors.weighted(q, m, scratch, w);
                },
                threads,
                progress);
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("weights", network.model().path().getFileName().toString());
        inputs.put("penalty", "sum_c E[x_c^2] * sum_r (Q(W) - W)_rc^2");
        inputs.put("calibration", calibrationDescription);
        inputs.put("calibration_samples", Integer.toString(statistics.samples()));
        if (!missing.isEmpty()) {
            inputs.put("layers_without_statistics", String.join(",", missing));
        }
        return new SensitivityProfile(network.spec().name(), METHOD, layers, inputs);
    }
}
