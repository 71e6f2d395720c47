package dev.mpq.sensitivity.onnx;

import java.util.List;

/**
 * A graph input, output or value_info: its name, ONNX element type code (0 when not a tensor) and
 * shape, where an unknown or symbolic dimension is -1 and its name is kept in {@code dimNames}.
 */
public record OnnxValueInfo(String name, int elementType, List<Long> shape, List<String> dimNames) {

    public OnnxValueInfo {
        shape = List.copyOf(shape);
        dimNames = List.copyOf(dimNames);
    }

    /** True when every dimension is a known number. */
    public boolean staticShape() {
        return shape.stream().allMatch(d -> d >= 0);
    }
}
