package dev.mpq.core.worker;

import java.util.List;

/**
 * One layer of a configuration to validate: its shape, its multiply-accumulates per sample (per
 * token for a linear layer, per image for a convolution) and the chosen precision.
 */
public record ValidateLayer(String name, String layerKind, List<Long> shape, long macs, String precision) {

    public ValidateLayer {
        shape = List.copyOf(shape);
    }
}
