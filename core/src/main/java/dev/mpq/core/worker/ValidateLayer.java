package dev.mpq.core.worker;

import java.util.List;

/** One layer of a configuration to validate: its shape and the chosen precision. */
public record ValidateLayer(String name, String layerKind, List<Long> shape, String precision) {

    public ValidateLayer {
        shape = List.copyOf(shape);
    }
}
