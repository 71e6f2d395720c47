package dev.mpq.core;

import java.util.LinkedHashMap;
import java.util.Map;

/** A chosen precision id for every layer of a network, in layer order. */
public record BitConfiguration(Map<String, String> precisionByLayer) {

    public BitConfiguration {
        precisionByLayer = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(precisionByLayer));
    }

    public String precisionOf(String layer) {
        String id = precisionByLayer.get(layer);
        if (id == null) {
            throw new IllegalArgumentException("The configuration has no precision for layer '%s'.".formatted(layer));
        }
        return id;
    }
}
