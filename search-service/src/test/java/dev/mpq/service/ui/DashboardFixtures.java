package dev.mpq.service.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Named API documents for the dashboard tests: a small transformer-like network (an embedding, a
 * q/k tie group, an MLP), a seeded weight-error profile and seeded cost tables over three
 * precisions, so that a search gives a front of a few dozen well-spread points.
 */
final class DashboardFixtures {

    static final List<String> PRECISIONS = List.of("int4", "int8", "bf16");
    private static final Map<String, Integer> BITS = Map.of("int4", 4, "int8", 8, "bf16", 16);

    private DashboardFixtures() {}

    /** {name, kind, shape, parameters, macs, tieGroup} of each layer. */
    static List<Map<String, Object>> toyTransformerLayers() {
        List<Map<String, Object>> layers = new ArrayList<>();
        layers.add(layer("embed", "embedding", List.of(1000, 64), 0L, null));
        layers.add(layer("attn.q", "linear", List.of(64, 64), null, "qk"));
        layers.add(layer("attn.k", "linear", List.of(64, 64), null, "qk"));
        layers.add(layer("attn.v", "linear", List.of(64, 64), null, null));
        layers.add(layer("attn.out", "linear", List.of(64, 64), null, null));
        layers.add(layer("mlp.up", "linear", List.of(256, 64), null, null));
        layers.add(layer("mlp.down", "linear", List.of(64, 256), null, null));
        return layers;
    }

    static Map<String, Object> toyTransformer(String name) {
        return Map.of("name", name, "layers", toyTransformerLayers());
    }

    /** Penalties: int4 in [0.5, 3), int8 in [0.02, 0.2), bf16 0.001 (seeded). */
    static Map<String, Object> weightErrorProfile(String name, long seed) {
        Random random = new Random(seed);
        List<Map<String, Object>> layers = new ArrayList<>();
        for (Map<String, Object> layer : toyTransformerLayers()) {
            Map<String, Object> penalties = new LinkedHashMap<>();
            penalties.put("int4", round(0.5 + 2.5 * random.nextDouble()));
            penalties.put("int8", round(0.02 + 0.18 * random.nextDouble()));
            penalties.put("bf16", 0.001);
            layers.add(Map.of("name", layer.get("name"), "penalties", penalties));
        }
        return Map.of("name", name, "method", "weight-error", "layers", layers);
    }

    /**
     * Latency ~ scale x parameters x bits / 8e6 with seeded noise in [0.8, 1.2); bytes and BOPs left
     * for the service to compute from the precisions.
     */
    static Map<String, Object> costTable(double scale, long seed) {
        Random random = new Random(seed);
        List<Map<String, Object>> layers = new ArrayList<>();
        for (Map<String, Object> layer : toyTransformerLayers()) {
            @SuppressWarnings("unchecked")
            List<Integer> shape = (List<Integer>) layer.get("shape");
            double parameters = (double) shape.get(0) * shape.get(1);
            Map<String, Object> costs = new LinkedHashMap<>();
            for (String precision : PRECISIONS) {
                double latency = scale * parameters * BITS.get(precision) / 8e6 * (0.8 + 0.4 * random.nextDouble());
                costs.put(precision, Map.of("latency", round(latency)));
            }
            layers.add(Map.of("name", layer.get("name"), "costs", costs));
        }
        return Map.of("layers", layers);
    }

    static Map<String, Object> device(String name, String kind) {
        return Map.of(
                "name",
                name,
                "kind",
                kind,
                "spec",
                Map.of("cores", 2, "memoryBandwidthGBs", 20.5, "peakOps", Map.of("int8", 1.2e12, "fp32", 3.0e11)));
    }

    private static Map<String, Object> layer(String name, String kind, List<Integer> shape, Long macs, String tie) {
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put("name", name);
        layer.put("kind", kind);
        layer.put("shape", shape);
        layer.put("parameters", shape.get(0) * shape.get(1));
        layer.put("macs", macs);
        layer.put("tieGroup", tie);
        return layer;
    }

    private static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }
}
