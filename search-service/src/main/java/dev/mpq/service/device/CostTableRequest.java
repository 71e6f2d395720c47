package dev.mpq.service.device;

import dev.mpq.core.LayerSpec;
import dev.mpq.core.NetworkSpec;
import dev.mpq.core.Precision;
import dev.mpq.service.api.Validation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A device's cost table for a network, as given by the user: per layer and precision a latency and
 * optionally bytes and BOPs. Omitted bytes are computed as parameters x effective bits / 8 and
 * omitted BOPs as MACs x weight bits x activation bits, from the precision.
 */
public record CostTableRequest(List<LayerCosts> layers) {

    /** The costs of one layer by precision id. */
    public record LayerCosts(String name, Map<String, LayerCost> costs) {}

    /** Validated, completed costs aligned with the network's layers. */
    List<Map<String, LayerCost>> costsFor(NetworkSpec network) {
        Validation errors = new Validation();
        if (layers == null || layers.isEmpty()) {
            errors.reject("layers", "A cost table needs costs for every layer of the network.");
            errors.throwIfInvalid();
        }
        Map<String, Integer> index = network.indexByName();
        Map<Integer, Map<String, LayerCost>> byPosition = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerCosts layer = layers.get(i);
            String at = "layers[%d]".formatted(i);
            if (layer == null || layer.name() == null) {
                errors.reject(at + ".name", "Every entry needs the name of a layer of the network.");
                continue;
            }
            Integer position = index.get(layer.name());
            if (position == null) {
                errors.reject(at + ".name", "Network '%s' has no layer '%s'.".formatted(network.name(), layer.name()));
                continue;
            }
            if (byPosition.containsKey(position)) {
                errors.reject(at + ".name", "Layer '%s' appears twice.".formatted(layer.name()));
                continue;
            }
            if (layer.costs() == null || layer.costs().isEmpty()) {
                errors.reject(
                        at + ".costs",
                        "Layer '%s' has no costs; a layer needs at least one option.".formatted(layer.name()));
                continue;
            }
            LayerSpec spec = network.layers().get(position);
            Map<String, LayerCost> costs = new LinkedHashMap<>();
            layer.costs().forEach((option, cost) -> {
                String field = "%s.costs.%s".formatted(at, option);
                Precision precision;
                try {
                    precision = Precision.parse(option);
                } catch (IllegalArgumentException e) {
                    errors.reject(field, e.getMessage());
                    return;
                }
                if (cost == null) {
                    errors.reject(field, "Give {latency, bytes?, bops?} for this option.");
                    return;
                }
                check(errors, field + ".latency", cost.latency(), true);
                check(errors, field + ".bytes", cost.bytes(), false);
                check(errors, field + ".bops", cost.bops(), false);
                double bytes = cost.bytes() != null ? cost.bytes() : precision.weightBytes(spec.parameters());
                double bops = cost.bops() != null ? cost.bops() : precision.bops(spec.macs());
                costs.put(precision.id(), new LayerCost(cost.latency(), bytes, bops));
            });
            byPosition.put(position, costs);
        }
        List<String> missing = new ArrayList<>();
        for (int p = 0; p < network.layers().size(); p++) {
            if (!byPosition.containsKey(p)) {
                missing.add(network.layers().get(p).name());
            }
        }
        if (!missing.isEmpty()) {
            errors.reject(
                    "layers",
                    "The cost table has no costs for layers %s; every layer needs some."
                            .formatted(missing.size() > 10 ? missing.subList(0, 10) + "..." : missing));
        }
        errors.throwIfInvalid();
        List<Map<String, LayerCost>> aligned = new ArrayList<>();
        for (int p = 0; p < network.layers().size(); p++) {
            aligned.add(byPosition.get(p));
        }
        return aligned;
    }

    private static void check(Validation errors, String field, Double value, boolean required) {
        if (value == null) {
            if (required) {
                errors.reject(field, "A latency is required (a finite number >= 0).");
            }
        } else if (!Double.isFinite(value) || value < 0) {
            errors.reject(field, "%s must be a finite number >= 0.".formatted(value));
        }
    }
}
