package dev.mpq.service.device;

/**
 * The cost of one layer in one precision on one device.
 *
 * @param latency seconds (or any consistent unit) per run of the layer
 * @param bytes memory of the layer's weights including scales
 * @param bops bit operations: MACs x weight bits x activation bits
 */
public record LayerCost(Double latency, Double bytes, Double bops) {}
