package dev.mpq.core.worker;

import java.util.Map;

/**
 * The result of running a configuration on the device.
 *
 * @param layerSeconds measured median seconds per layer
 * @param totalSeconds measured median seconds of all layers run in sequence
 * @param outputError the network's output error against float (null when no weights were known)
 * @param errorMetric how {@code outputError} is measured, e.g. "mse of the mean-pooled output"
 */
public record ValidationReport(
        String leaseToken,
        Map<String, Double> layerSeconds,
        double totalSeconds,
        Double outputError,
        String errorMetric,
        String environment) {

    public ValidationReport {
        layerSeconds = Map.copyOf(layerSeconds == null ? Map.of() : layerSeconds);
    }
}
