package dev.mpq.sensitivity.profile;

import dev.mpq.core.NumericFormat;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code weight-error}: penalty = sum over the layer's weights of (Q(W) - W)^2 (DESIGN.md section 5). */
public final class WeightErrorEstimator {

    public static final String METHOD = "weight-error";

    private WeightErrorEstimator() {}

    public static SensitivityProfile estimate(
            OnnxNetwork network, List<NumericFormat> formats, int threads, ProgressListener progress) {
        List<LayerPenalties> layers = WeightPenalties.compute(
                network, formats, (layer, m, q, scratch) -> LayerErrors.total(q, m, scratch), threads, progress);
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("weights", network.model().path().getFileName().toString());
        inputs.put("penalty", "sum (Q(W) - W)^2");
        return new SensitivityProfile(network.spec().name(), METHOD, layers, inputs);
    }
}
