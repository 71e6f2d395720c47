package dev.mpq.costs;

import dev.mpq.core.BitConfiguration;
import dev.mpq.core.LayerSpec;
import dev.mpq.core.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Per layer and candidate precision: latency (measured or predicted), exact weight bytes and BOPs,
 * or the reason the device cannot run it. The service turns costed entries into solver options with
 * metrics and leaves excluded ones out.
 *
 * @param network the network's name
 * @param device the device id
 * @param batch samples per step the latencies are for
 * @param precisions candidate precision ids in option order
 * @param layers one row per network layer, in network order
 * @param basis how the device was costed (measured table, calibration, catalogue estimates)
 */
public record CostTable(
        String network, String device, int batch, List<String> precisions, List<LayerRow> layers, String basis) {

    public CostTable {
        precisions = List.copyOf(precisions);
        layers = List.copyOf(layers);
    }

    /** One layer's costs, one entry per candidate precision in {@link CostTable#precisions()} order. */
    public record LayerRow(String layer, List<LayerCost> costs) {

        public LayerRow {
            costs = List.copyOf(costs);
        }

        /** The cost of one precision id. */
        public LayerCost cost(String precision) {
            for (LayerCost cost : costs) {
                if (cost.precision().equals(precision)) {
                    return cost;
                }
            }
            throw new IllegalArgumentException("Layer (%s) has no candidate precision '%s'; candidates: %s"
                    .formatted(
                            layer,
                            precision,
                            costs.stream().map(LayerCost::precision).toList()));
        }

        /** The precisions the device can run for this layer. */
        public List<LayerCost.Costed> runnable() {
            List<LayerCost.Costed> runnable = new ArrayList<>();
            for (LayerCost cost : costs) {
                if (cost instanceof LayerCost.Costed costed) {
                    runnable.add(costed);
                }
            }
            return runnable;
        }
    }

    /** Builds the table (plain Java; the service calls this and maps the result to metrics). */
    public static CostTable build(CostRequest request) {
        List<LayerRow> rows = new ArrayList<>();
        DeviceModel device = request.device();
        for (LayerSpec layer : request.network().layers()) {
            LayerShape shape = LayerShape.of(layer, request.strides().getOrDefault(layer.name(), 0));
            List<LayerCost> costs = new ArrayList<>();
            for (Precision precision : request.precisions()) {
                costs.add(device.cost(shape, precision, request.batch()));
            }
            rows.add(new LayerRow(layer.name(), costs));
        }
        return new CostTable(
                request.network().name(),
                device.spec().id(),
                request.batch(),
                request.precisions().stream().map(Precision::id).toList(),
                rows,
                device.basis());
    }

    public LayerRow row(String layer) {
        for (LayerRow row : layers) {
            if (row.layer().equals(layer)) {
                return row;
            }
        }
        throw new IllegalArgumentException("Cost table of %s has no layer '%s'.".formatted(network, layer));
    }

    /** Every (layer, precision) the device cannot run, with the reason. */
    public List<Map.Entry<String, LayerCost.Excluded>> exclusions() {
        List<Map.Entry<String, LayerCost.Excluded>> excluded = new ArrayList<>();
        for (LayerRow row : layers) {
            for (LayerCost cost : row.costs()) {
                if (cost instanceof LayerCost.Excluded e) {
                    excluded.add(Map.entry(row.layer(), e));
                }
            }
        }
        return excluded;
    }

    /** The summed cost of a configuration; fails on a layer whose chosen precision is excluded. */
    public ConfigurationCost total(BitConfiguration configuration) {
        double latency = 0;
        long bytes = 0;
        long bops = 0;
        int measured = 0;
        int predicted = 0;
        for (LayerRow row : layers) {
            LayerCost cost = row.cost(configuration.precisionOf(row.layer()));
            if (cost instanceof LayerCost.Excluded e) {
                throw new IllegalArgumentException(
                        "Layer (%s) cannot run %s on %s: %s".formatted(row.layer(), e.precision(), device, e.reason()));
            }
            LayerCost.Costed c = (LayerCost.Costed) cost;
            latency += c.latencySeconds();
            bytes += c.weightBytes();
            bops += c.bops();
            if (c.source() == LatencySource.MEASURED) {
                measured++;
            } else {
                predicted++;
            }
        }
        return new ConfigurationCost(latency, bytes, bops, measured, predicted);
    }
}
