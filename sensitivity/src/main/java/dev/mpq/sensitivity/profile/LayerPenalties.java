package dev.mpq.sensitivity.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One layer of a profile: what CONTRACTS.md section 5 lists per layer.
 *
 * @param penalties estimated quality loss per format id, in the profile's format order
 */
public record LayerPenalties(
        String name, String kind, List<Long> shape, long parameters, Map<String, Double> penalties) {

    public LayerPenalties {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A profile layer needs a name.");
        }
        shape = List.copyOf(shape);
        for (Map.Entry<String, Double> e : penalties.entrySet()) {
            if (e.getValue() == null || !Double.isFinite(e.getValue()) || e.getValue() < 0) {
                throw new IllegalArgumentException(
                        "Layer (%s) has penalty %s for %s; penalties must be finite and >= 0. Do its weights hold NaN or infinity?"
                                .formatted(name, e.getValue(), e.getKey()));
            }
        }
        penalties = Collections.unmodifiableMap(new LinkedHashMap<>(penalties));
    }
}
