package dev.mpq.service.search;

import dev.mpq.core.NetworkSpec;
import dev.mpq.core.Precision;
import dev.mpq.costs.CostRequest;
import dev.mpq.costs.CostTable;
import dev.mpq.costs.DeviceModel;
import dev.mpq.service.device.LayerCost;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The costs of a search, per layer and precision, with where each came from: {@code user} (the
 * device's cost table for the network), {@code measured} (the device's measured table) or {@code
 * predicted} (the calibrated roofline model); precisions the device cannot run are left out with the
 * reason.
 *
 * @param excluded precision id to the reason the device cannot run it
 * @param basis how the device was costed, in words
 */
public record SearchCosts(
        List<Map<String, LayerCost>> costs,
        List<Map<String, String>> sources,
        Map<String, String> excluded,
        String basis) {

    /** Costs from the user's table: every source is {@code user}. */
    static SearchCosts fromUserTable(List<Map<String, LayerCost>> table) {
        List<Map<String, String>> sources = new ArrayList<>();
        for (Map<String, LayerCost> layer : table) {
            Map<String, String> source = new LinkedHashMap<>();
            layer.keySet().forEach(precision -> source.put(precision, "user"));
            sources.add(source);
        }
        return new SearchCosts(table, sources, Map.of(), "user cost table");
    }

    /** Costs from the device's model, for the precisions of the profile, at a batch size. */
    static SearchCosts fromModel(
            NetworkSpec network, DeviceModel model, List<Map<String, Double>> penalties, int batch) {
        Set<String> ids = new LinkedHashSet<>();
        penalties.forEach(layer -> ids.addAll(layer.keySet()));
        List<Precision> precisions = ids.stream().map(Precision::parse).toList();
        CostTable table = CostTable.build(CostRequest.of(network, model, batch, precisions));
        List<Map<String, LayerCost>> costs = new ArrayList<>();
        List<Map<String, String>> sources = new ArrayList<>();
        Map<String, String> excluded = new LinkedHashMap<>();
        for (int i = 0; i < network.layers().size(); i++) {
            Map<String, LayerCost> layer = new LinkedHashMap<>();
            Map<String, String> source = new LinkedHashMap<>();
            for (dev.mpq.costs.LayerCost cost :
                    table.row(network.layers().get(i).name()).costs()) {
                if (cost instanceof dev.mpq.costs.LayerCost.Costed c) {
                    layer.put(c.precision(), new LayerCost(c.latencySeconds(), (double) c.weightBytes(), (double)
                            c.bops()));
                    source.put(c.precision(), c.source().id());
                } else if (cost instanceof dev.mpq.costs.LayerCost.Excluded e) {
                    excluded.putIfAbsent(e.precision(), e.reason());
                }
            }
            costs.add(layer);
            sources.add(source);
        }
        return new SearchCosts(costs, sources, excluded, model.basis());
    }
}
