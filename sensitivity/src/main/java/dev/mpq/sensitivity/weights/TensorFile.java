package dev.mpq.sensitivity.weights;

import java.nio.file.Path;
import java.util.List;

/** A weight file whose tensors are listed up front and read one at a time. */
public interface TensorFile {

    Path path();

    /** Every tensor's name, type and shape (row-major, slowest dimension first), in file order. */
    List<TensorInfo> tensors();

    /** One tensor's elements as floats. */
    float[] readFloats(String name);

    /** The tensor with this name. */
    default TensorInfo tensor(String name) {
        return tensors().stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(
                        () -> new WeightFileException(path(), "tensor '" + name + "'", "no such tensor in the file"));
    }
}
