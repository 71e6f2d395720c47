package dev.mpq.service.network;

import dev.mpq.core.LayerSpec;
import dev.mpq.core.NetworkSpec;
import dev.mpq.service.api.Validation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Per-layer entries of a request (a profile's penalties, a cost table's costs) matched to a
 * network's layers by name: every entry names a layer of the network, no layer twice, every layer
 * once. Errors name the entry ({@code layers[3].name}).
 */
public final class LayerEntries {

    private LayerEntries() {}

    /** Reads one entry for its layer; returns null after rejecting something. */
    @FunctionalInterface
    public interface Reader<E, V> {
        V read(E entry, LayerSpec layer, String at, Validation errors);
    }

    /**
     * The entries read and aligned with the network's layers; throws with every field error found
     * (together with those already in {@code errors}).
     */
    public static <E, V> List<V> align(
            NetworkSpec network,
            List<E> entries,
            Function<E, String> name,
            String what,
            Reader<E, V> reader,
            Validation errors) {
        if (entries == null || entries.isEmpty()) {
            errors.reject("layers", "A %s needs entries for every layer of the network.".formatted(what));
            errors.throwIfInvalid();
        }
        Map<String, Integer> index = network.indexByName();
        Map<Integer, V> byPosition = new HashMap<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            E entry = entries.get(i);
            String at = "layers[%d]".formatted(i);
            String layerName = entry == null ? null : name.apply(entry);
            if (layerName == null) {
                errors.reject(at + ".name", "Every entry needs the name of a layer of the network.");
                continue;
            }
            Integer position = index.get(layerName);
            if (position == null) {
                errors.reject(at + ".name", "Network '%s' has no layer '%s'.".formatted(network.name(), layerName));
                continue;
            }
            if (!seen.add(position)) {
                errors.reject(at + ".name", "Layer '%s' appears twice.".formatted(layerName));
                continue;
            }
            V value = reader.read(entry, network.layers().get(position), at, errors);
            if (value != null) {
                byPosition.put(position, value);
            }
        }
        List<String> missing = new ArrayList<>();
        for (int p = 0; p < network.layers().size(); p++) {
            if (!seen.contains(p)) {
                missing.add(network.layers().get(p).name());
            }
        }
        if (!missing.isEmpty()) {
            errors.reject(
                    "layers",
                    "The %s has no entry for layers %s; every layer needs one."
                            .formatted(what, missing.size() > 10 ? missing.subList(0, 10) + "..." : missing));
        }
        errors.throwIfInvalid();
        List<V> aligned = new ArrayList<>();
        for (int p = 0; p < network.layers().size(); p++) {
            aligned.add(byPosition.get(p));
        }
        return aligned;
    }
}
