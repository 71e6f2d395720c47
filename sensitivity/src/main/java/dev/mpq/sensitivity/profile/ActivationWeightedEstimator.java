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
     * The output-aware variant: penalty = g_i x sum_r d_r G_i d_r^T with d = Q(W) - W, a
     * Kronecker-factored Hessian H_i = 2 g_i I (x) G_i whose output factor g_i comes from
     * finite-difference Hessian traces ({@link dev.mpq.sensitivity.runtime.HessianTraces}): Tr(H_i) =
     * 2 g_i rows_i Tr(G_i), so g_i = Tr(H_i) / (2 rows_i Tr(G_i)).
     *
     * <p>G_i = E_samples[xtilde xtilde^T], xtilde = the token mean of x_t / ||y_t|| with y_t the
     * layer's output at token t ({@link ActivationStatistics#relativeMeansByLayer}): each token's
     * output error counts relative to that token's output, pooled over tokens like a mean-pooled
     * output. Normalization downstream (LayerNorm after the residual add, softmax of scaled scores)
     * makes the network respond to relative, not absolute, changes of a token's activations, so
     * tokens with huge activations (outlier tokens of the FFN output layers) do not dominate.
     * Needs statistics collected with {@code full = true}; layers without the relative moment fall
     * back to the pooled E[xbar xbar^T] with g_i = Tr(H_i) / (2 rows_i sum_c E[x_c^2]), and layers
     * without that to the diagonal E[x_c^2].
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
                    double[] relative = statistics.relativeMeansByLayer().get(layer.name());
                    if (relative != null && relative.length > 0 && relative.length % m.cols() == 0) {
                        int count = relative.length / m.cols();
                        double tr = 0; // Tr(G) = mean_s ||xtilde_s||^2
                        for (double v : relative) {
                            tr += v * v;
                        }
                        tr /= count;
                        double g = tr == 0 ? 0 : trace / (2.0 * m.rows() * tr);
                        return g * LayerErrors.sampleWeighted(q, m, scratch, relative, count);
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
        inputs.put(
                "penalty",
                "g * sum_r d_r G d_r^T, G = E[xtilde xtilde^T], xtilde = token mean of x_t/||y_t||, g = Tr(H)/(2 rows Tr(G)) (output gains)");
        inputs.put("calibration", calibrationDescription);
        inputs.put("calibration_samples", Integer.toString(statistics.samples()));
        inputs.put("variant", "pooled relative second moments with output gains");
        List<String> fallback = network.layers().stream()
                .map(l -> l.name())
                .filter(n -> !statistics.relativeMeansByLayer().containsKey(n))
                .toList();
        if (!fallback.isEmpty()) {
            inputs.put("layers_without_relative_moments", String.join(",", fallback));
        }
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
