package dev.mpq.sensitivity.onnx;

import dev.mpq.sensitivity.weights.TensorInfo;
import java.nio.file.Path;

/**
 * A tensor of an ONNX model (initializer or Constant-node value) with where its elements are stored;
 * the elements themselves are read on demand by {@link OnnxModel#readFloats}.
 *
 * @param info name, element type, shape
 * @param storage how and where the elements are stored
 * @param offset byte offset of the stored elements (in {@code file}); for INLINE storage unused
 * @param length stored bytes
 * @param file the model file, or the external data file
 * @param inline values of unpacked typed fields, collected while parsing (null otherwise)
 * @param origin "initializer" or the Constant node that produces it
 */
public record OnnxTensor(
        TensorInfo info, Storage storage, long offset, long length, Path file, double[] inline, String origin) {

    /** How the elements are stored. */
    public enum Storage {
        /** raw_data: little-endian elements. */
        RAW,
        /** float_data, packed fixed32. */
        PACKED_FLOAT,
        /** int32_data (also fp16/bf16 bit patterns, int8, uint8...), packed varints. */
        PACKED_INT32,
        /** int64_data or uint64_data, packed varints. */
        PACKED_INT64,
        /** double_data, packed fixed64. */
        PACKED_DOUBLE,
        /** Typed values that were not packed, collected while parsing. */
        INLINE,
        /** data_location = EXTERNAL: raw little-endian elements in another file. */
        EXTERNAL,
        /** No elements stored (an empty tensor, or only string data). */
        EMPTY
    }

    public String name() {
        return info.name();
    }
}
