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

    /**
     * The output-aware variant: penalty = g_i x sum_r d_r G_i d_r^T, where G_i = E_samples[xbar xbar^T]
     * is the second moment of each sample's token-mean input (what a mean-pooled output sees) and g_i
     * = Tr(H_i) / (2 rows_i sum_c E[x_c^2]) is the layer's output gain from finite-difference Hessian
     * traces ({@link dev.mpq.sensitivity.runtime.HessianTraces}), i.e. a Kronecker-factored Hessian g_i
     * I (x) E[x x^T]. Needs statistics collected with {@code full = true}; layers without a pooled
     * second moment use the diagonal E[x_c^2] instead.
     */
    public static SensitivityProfile estimateWithOutputGains(
            OnnxNetwork network,
            List<NumericFormat> formats,
            ActivationStatistics statistics,
            Map<String, Double> traces,
            String calibrationDescription,
            int threads,
            ProgressListener progress) {
        List<LayerPenalties> layers = WeightPenalties.compute(
                network,
                formats,
                (layer, m, q, scratch) -> {
                    double[] e = statistics.columnWeights(layer, m.cols());
                    Double trace = traces.get(layer.name());
                    if (e == null || trace == null) {
                        throw new IllegalArgumentException(
                                "Layer %s has no activation statistics or Hessian trace; the output-gain variant needs both."
                                        .formatted(layer.name()));
                    }
                    double sumE = java.util.Arrays.stream(e).sum();
                    double gain = sumE == 0 ? 0 : trace / (2.0 * m.rows() * sumE);
                    double[] pooled = statistics.pooledGramByLayer().get(layer.name());
                    double local = pooled != null && pooled.length == (long) m.cols() * m.cols()
                            ? LayerErrors.gramWeighted(q, m, scratch, pooled)
                            : LayerErrors.weighted(q, m, scratch, e);
                    return gain * local;
                },
                threads,
                progress);
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("weights", network.model().path().getFileName().toString());
        inputs.put("penalty", "g * sum_r d_r E[xbar xbar^T] d_r^T, g = Tr(H)/(2 rows sum_c E[x_c^2]) (output gains)");
        inputs.put("calibration", calibrationDescription);
        inputs.put("calibration_samples", Integer.toString(statistics.samples()));
        inputs.put("variant", "pooled second moments with output gains");
        return new SensitivityProfile(network.spec().name(), METHOD, layers, inputs);
    }

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
