package dev.mpq.core.worker;

import java.util.List;

/**
 * One latency measurement a profile task asks for: a layer shape in a precision at a batch size.
 *
 * @param key stable id of the item within its task; reports name it, so a retried report is not
 *     counted twice
 * @param layerKind {@code linear}, {@code matmul}, {@code conv}, ...
 * @param shape the weight shape, {@code [out, in]} for a linear layer
 * @param macs multiply-accumulates per sample (per token for a linear layer), which tells convolutions of
 *     the same weight shape apart
 * @param precision a precision id, {@code int4-g128} or {@code int8:int8}
 * @param batch rows of the activation (tokens per step)
 */
public record ProfileItem(String key, String layerKind, List<Long> shape, long macs, String precision, int batch) {

    public ProfileItem {
        shape = List.copyOf(shape);
    }
}
