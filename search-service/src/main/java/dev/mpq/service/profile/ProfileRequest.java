package dev.mpq.service.profile;

import dev.mpq.core.LayerSpec;
import dev.mpq.core.NetworkSpec;
import dev.mpq.core.Precision;
import dev.mpq.service.api.Validation;
import dev.mpq.service.network.LayerEntries;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sensitivity profile to import, in the shape {@code ./mpq profile} writes (CONTRACTS.md section
 * 5): {@code {name?, model?, method, inputs?, layers: [{name, penalties: {precision: penalty}}]}}.
 * Layer {@code kind}, {@code shape} and {@code parameters} may be repeated from the profile file; when
 * present they must match the network.
 */
public record ProfileRequest(
        String name, String model, String method, Map<String, Object> inputs, List<LayerPenalties> layers) {

    /** The penalties of one layer. */
    public record LayerPenalties(
            String name, String kind, List<Long> shape, Long parameters, Map<String, Double> penalties) {}

    /** Validated penalties, aligned with the network's layers. */
    public List<Map<String, Double>> penaltiesFor(NetworkSpec network) {
        Validation errors = new Validation();
        if (method == null || method.isBlank()) {
            errors.reject("method", "Say how the penalties were estimated, e.g. weight-error, hawq, measured, user.");
        }
        return LayerEntries.align(network, layers, LayerPenalties::name, "profile", ProfileRequest::read, errors);
    }

    private static Map<String, Double> read(LayerPenalties layer, LayerSpec spec, String at, Validation errors) {
        if (layer.kind() != null && !layer.kind().equals(spec.kind().id())) {
            errors.reject(
                    at + ".kind",
                    "Layer '%s' is a %s layer in the network, not %s."
                            .formatted(layer.name(), spec.kind().id(), layer.kind()));
        }
        if (layer.shape() != null && !layer.shape().equals(spec.shape())) {
            errors.reject(
                    at + ".shape",
                    "Layer '%s' has shape %s in the network, not %s."
                            .formatted(layer.name(), spec.shape(), layer.shape()));
        }
        if (layer.parameters() != null && layer.parameters() != spec.parameters()) {
            errors.reject(
                    at + ".parameters",
                    "Layer '%s' has %d parameters in the network, not %d."
                            .formatted(layer.name(), spec.parameters(), layer.parameters()));
        }
        if (layer.penalties() == null || layer.penalties().isEmpty()) {
            errors.reject(
                    at + ".penalties",
                    "Layer '%s' has no penalties; a layer needs at least one option.".formatted(layer.name()));
            return null;
        }
        Map<String, Double> penalties = new LinkedHashMap<>();
        layer.penalties().forEach((option, penalty) -> {
            String field = "%s.penalties.%s".formatted(at, option);
            try {
                penalties.put(Precision.parse(option).id(), penalty);
            } catch (IllegalArgumentException e) {
                errors.reject(field, e.getMessage());
            }
            if (penalty == null || !Double.isFinite(penalty) || penalty < 0) {
                errors.reject(field, "Penalty %s must be a finite number >= 0.".formatted(penalty));
            }
        });
        return penalties;
    }
}
