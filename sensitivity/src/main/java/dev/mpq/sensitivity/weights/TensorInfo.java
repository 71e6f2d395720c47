package dev.mpq.sensitivity.weights;

import java.util.List;

/**
 * A tensor's name, element type and shape as a weight file declares them.
 *
 * @param sourceType the file's own type name (ONNX data type code, safetensors dtype, GGUF type), for messages
 */
public record TensorInfo(String name, DataType type, List<Long> shape, String sourceType) {

    public TensorInfo {
        shape = List.copyOf(shape);
    }

    /** Number of elements (1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
