package dev.mpq.core;

import java.util.List;
import java.util.Objects;

/**
 * One quantizable layer of a network.
 *
 * @param name unique within its network
 * @param kind what the layer computes
 * @param shape the weight shape, for example {@code [out, in]} for a linear layer
 * @param parameters number of weights
 * @param macs multiply-accumulates per input (per token for a matmul, per image for a conv)
 * @param tieGroup layers with the same non-null tie group must take the same precision
 */
public record LayerSpec(String name, LayerKind kind, List<Long> shape, long parameters, long macs, String tieGroup) {

    public LayerSpec {
        Objects.requireNonNull(
                kind,
                () -> "Layer (%s) has no kind; give one of linear, conv, matmul, embedding, kv-cache.".formatted(name));
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A layer has no name; every layer needs a unique, non-blank name.");
        }
        shape = List.copyOf(Objects.requireNonNullElse(shape, List.of()));
        for (Long dim : shape) {
            if (dim == null || dim <= 0) {
                throw new IllegalArgumentException(
                        "Layer (%s) has shape %s; every dimension must be a positive integer.".formatted(name, shape));
            }
        }
        if (parameters < 0) {
            throw new IllegalArgumentException(
                    "Layer (%s) has %d parameters; the count cannot be negative.".formatted(name, parameters));
        }
        if (macs < 0) {
            throw new IllegalArgumentException(
                    "Layer (%s) has %d MACs; the count cannot be negative.".formatted(name, macs));
        }
        if (tieGroup != null && tieGroup.isBlank()) {
            tieGroup = null;
        }
    }
}
