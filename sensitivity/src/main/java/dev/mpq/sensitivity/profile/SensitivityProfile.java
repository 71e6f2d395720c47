package dev.mpq.sensitivity.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sensitivity profile: per layer and format, a penalty (estimated quality loss). Its JSON form is
 * CONTRACTS.md section 5: {@code {"model", "method", "layers": [{"name", "kind", "shape",
 * "parameters", "penalties": {formatId: value}}]}}; {@code inputs} records what the estimate was made
 * from (calibration data, metric, seed, trace file...) and is written as an extra {@code "inputs"}
 * object.
 */
public record SensitivityProfile(String model, String method, List<LayerPenalties> layers, Map<String, String> inputs) {

    public SensitivityProfile {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("Profile of %s (%s) has no layers.".formatted(model, method));
        }
        layers = List.copyOf(layers);
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs == null ? Map.of() : inputs));
    }

    /** The layer with this name. */
    public LayerPenalties layer(String name) {
        return layers.stream()
                .filter(l -> l.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Profile has no layer '%s'.".formatted(name)));
    }

    /** Sum over layers of the penalty of each layer's chosen format (the additive prediction). */
    public double predict(Map<String, String> formatByLayer) {
        double sum = 0;
        for (LayerPenalties layer : layers) {
            String format = formatByLayer.get(layer.name());
            if (format == null) {
                continue;
            }
            Double p = layer.penalties().get(format);
            if (p == null) {
                throw new IllegalArgumentException("Profile has no penalty for layer '%s' in %s; profiled formats: %s."
                        .formatted(layer.name(), format, layer.penalties().keySet()));
            }
            sum += p;
        }
        return sum;
    }

    /** The JSON document of CONTRACTS.md section 5 (plus "inputs"). */
    public String toJson() {
        StringBuilder b = new StringBuilder(64 * layers.size());
        b.append("{\"model\":").append(JsonText.quote(model));
        b.append(",\"method\":").append(JsonText.quote(method));
        b.append(",\"inputs\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : inputs.entrySet()) {
            b.append(first ? "" : ",")
                    .append(JsonText.quote(e.getKey()))
                    .append(':')
                    .append(JsonText.quote(e.getValue()));
            first = false;
        }
        b.append("},\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            LayerPenalties l = layers.get(i);
            b.append(i == 0 ? "" : ",").append("\n{\"name\":").append(JsonText.quote(l.name()));
            b.append(",\"kind\":").append(JsonText.quote(l.kind()));
            b.append(",\"shape\":").append(l.shape().toString().replace(" ", ""));
            b.append(",\"parameters\":").append(l.parameters());
            b.append(",\"penalties\":{");
            first = true;
            for (Map.Entry<String, Double> e : l.penalties().entrySet()) {
                b.append(first ? "" : ",")
                        .append(JsonText.quote(e.getKey()))
                        .append(':')
                        .append(JsonText.number(e.getValue()));
                first = false;
            }
            b.append("}}");
        }
        return b.append("]}\n").toString();
    }
}
