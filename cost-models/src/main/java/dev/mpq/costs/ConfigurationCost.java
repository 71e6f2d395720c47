package dev.mpq.costs;

/**
 * The summed cost of one configuration (one precision per layer) on a device.
 *
 * @param latencySeconds sum of the layers' step latencies
 * @param weightBytes sum of exact weight bytes
 * @param bops sum of bit operations per sample
 * @param measuredLayers layers whose latency came from the measured table
 * @param predictedLayers layers whose latency the model predicted
 */
public record ConfigurationCost(
        double latencySeconds, long weightBytes, long bops, int measuredLayers, int predictedLayers) {}
