package dev.mpq.service.device;

/**
 * The cost of one layer in one precision on one device.
 *
 * @param latency seconds per run of the layer (another consistent unit still gives the same search
 *     result, but validations compare the predicted total with measured seconds)
 * @param bytes memory of the layer's weights including scales
 * @param bops bit operations: MACs x weight bits x activation bits
 */
public record LayerCost(Double latency, Double bytes, Double bops) {}
