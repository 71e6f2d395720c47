package dev.mpq.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A network: its name and its quantizable layers in execution order. */
public record NetworkSpec(String name, List<LayerSpec> layers) {

    public NetworkSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A network needs a non-blank name.");
        }
        layers = List.copyOf(layers == null ? List.of() : layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(
                    "Network (%s) has no layers; a network needs at least one quantizable layer.".formatted(name));
        }
        Set<String> seen = new HashSet<>();
        for (LayerSpec layer : layers) {
            if (!seen.add(layer.name())) {
                throw new IllegalArgumentException("Network (%s) has two layers named '%s'; layer names must be unique."
                        .formatted(name, layer.name()));
            }
        }
    }

    public Optional<LayerSpec> layer(String layerName) {
        return layers.stream().filter(l -> l.name().equals(layerName)).findFirst();
    }

    /** The tie groups with at least two members, each as the names of its layers in network order. */
    public List<List<String>> ties() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (LayerSpec layer : layers) {
            if (layer.tieGroup() != null) {
                groups.computeIfAbsent(layer.tieGroup(), g -> new ArrayList<>()).add(layer.name());
            }
        }
        return groups.values().stream()
                .filter(g -> g.size() > 1)
                .map(List::copyOf)
                .toList();
    }

    /** Index of every layer name. */
    public Map<String, Integer> indexByName() {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            index.put(layers.get(i).name(), i);
        }
        return index;
    }
}
