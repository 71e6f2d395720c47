package dev.mpq.costs;

import dev.mpq.core.NetworkSpec;
import dev.mpq.core.Precision;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a cost table is built from.
 *
 * @param network the network's layers
 * @param device the device's spec, measured table and calibration
 * @param batch samples (images, or tokens per step) per kernel call
 * @param precisions candidate precisions, in option order
 * @param strides optional convolution strides by layer name (a {@code LayerSpec} has none; they
 *     sharpen activation traffic and measured-table matches); missing = unknown
 */
public record CostRequest(
        NetworkSpec network, DeviceModel device, int batch, List<Precision> precisions, Map<String, Integer> strides) {

    public CostRequest {
        Objects.requireNonNull(network, "A cost request needs a network.");
        Objects.requireNonNull(device, "A cost request needs a device model.");
        if (batch < 1) {
            throw new IllegalArgumentException(
                    "Batch %d is not valid; give the samples (or tokens) per step, >= 1.".formatted(batch));
        }
        precisions = List.copyOf(precisions == null ? List.of() : precisions);
        if (precisions.isEmpty()) {
            throw new IllegalArgumentException(
                    "A cost request needs at least one candidate precision, e.g. int8:int8 or int4-g128.");
        }
        if (precisions.stream().map(Precision::id).distinct().count() != precisions.size()) {
            throw new IllegalArgumentException("Candidate precisions %s repeat an id; list each once."
                    .formatted(precisions.stream().map(Precision::id).toList()));
        }
        strides = Map.copyOf(strides == null ? Map.of() : strides);
        for (String layer : strides.keySet()) {
            if (network.layer(layer).isEmpty()) {
                throw new IllegalArgumentException("Stride given for layer '%s', which network %s does not have."
                        .formatted(layer, network.name()));
            }
        }
    }

    /** A request without strides. */
    public static CostRequest of(NetworkSpec network, DeviceModel device, int batch, List<Precision> precisions) {
        return new CostRequest(network, device, batch, precisions, Map.of());
    }
}
