package dev.mpq.service.device;

import dev.mpq.core.LayerSpec;
import dev.mpq.core.NetworkSpec;
import dev.mpq.core.Precision;
import dev.mpq.service.api.Validation;
import dev.mpq.service.network.LayerEntries;
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
        return LayerEntries.align(
                network, layers, LayerCosts::name, "cost table", CostTableRequest::read, new Validation());
    }

    private static Map<String, LayerCost> read(LayerCosts layer, LayerSpec spec, String at, Validation errors) {
        if (layer.costs() == null || layer.costs().isEmpty()) {
            errors.reject(
                    at + ".costs",
                    "Layer '%s' has no costs; a layer needs at least one option.".formatted(layer.name()));
            return null;
        }
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
        return costs;
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
