package dev.mpq.sensitivity.onnx;

import dev.mpq.sensitivity.weights.DataType;
import dev.mpq.sensitivity.weights.ElementDecoder;
import dev.mpq.sensitivity.weights.WeightFileException;
import dev.mpq.sensitivity.weights.WireAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The structure of an ONNX model as {@link OnnxReader} found it; tensor data stays in the file until
 * {@link #readFloats} asks for one tensor.
 *
 * @param path the model file
 * @param fileSize its size in bytes
 * @param irVersion ONNX IR version
 * @param producer producer_name
 * @param opsets opset version per domain ("" = ai.onnx)
 * @param graph the main graph
 * @param graphField where the main graph's field sits in the file: {tag offset, content start, content end}
 *     (what a rewrite that appends graph inputs or outputs needs)
 */
public record OnnxModel(
        Path path,
        long fileSize,
        long irVersion,
        String producer,
        Map<String, Long> opsets,
        OnnxGraph graph,
        java.util.List<Long> graphField) {

    public OnnxModel {
        opsets = Map.copyOf(opsets);
        graphField = java.util.List.copyOf(graphField);
    }

    /**
     * Every tensor with stored values, by the name the graph uses for it: initializers of every graph
     * and the values of Constant nodes (named by the node's output), subgraphs included.
     */
    public Map<String, OnnxTensor> tensors() {
        Map<String, OnnxTensor> all = new LinkedHashMap<>();
        for (OnnxGraph g : graph.withSubgraphs()) {
            for (OnnxTensor t : g.initializers()) {
                all.putIfAbsent(t.name(), t);
            }
            for (OnnxNode node : g.nodes()) {
                boolean standard = node.domain().isEmpty() || node.domain().equals("ai.onnx");
                OnnxAttribute value = node.attributes().get("value");
                if (standard
                        && node.opType().equals("Constant")
                        && value != null
                        && value.t() != null
                        && !node.outputs().isEmpty()) {
                    all.putIfAbsent(node.outputs().get(0), value.t());
                }
            }
        }
        return all;
    }

    /** The elements of one tensor as floats (integers exactly as their values, fp16/bf16 widened). */
    public float[] readFloats(OnnxTensor tensor) {
        return readFloats(tensor, null);
    }

    /** As {@link #readFloats(OnnxTensor)}, into {@code into} when it has exactly the tensor's size. */
    public float[] readFloats(OnnxTensor tensor, float[] into) {
        long count = tensor.info().elementCount();
        DataType type = tensor.info().type();
        String name = tensor.name();
        switch (tensor.storage()) {
            case EMPTY -> {
                if (count != 0) {
                    throw WeightFileException.inTensor(
                            path,
                            name,
                            "has shape %s but stores no data"
                                    .formatted(tensor.info().shape()));
                }
                return new float[0];
            }
            case INLINE -> {
                double[] values = tensor.inline();
                checkCount(tensor, values.length);
                float[] out = new float[values.length];
                for (int i = 0; i < values.length; i++) {
                    out[i] = typedValue(type, (long) values[i], values[i]);
                }
                return out;
            }
            case RAW, EXTERNAL -> {
                if (tensor.storage() == OnnxTensor.Storage.EXTERNAL && !Files.isRegularFile(tensor.file())) {
                    throw WeightFileException.inTensor(
                            path, name, "its external data file %s does not exist".formatted(tensor.file()));
                }
                try (WireAccess file = new WireAccess(tensor.file())) {
                    return ElementDecoder.readRaw(
                            file, path, name, type, tensor.offset(), tensor.length(), count, into);
                }
            }
            default -> {
                return readPacked(tensor, count);
            }
        }
    }

    private float[] readPacked(OnnxTensor tensor, long count) {
        DataType type = tensor.info().type();
        if (type == DataType.OTHER) {
            throw WeightFileException.inTensor(
                    path,
                    tensor.name(),
                    "its element type (%s) cannot be decoded to float"
                            .formatted(tensor.info().sourceType()));
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw WeightFileException.inTensor(path, tensor.name(), "has too many elements (%d)".formatted(count));
        }
        float[] out = new float[(int) count];
        try (WireAccess in = new WireAccess(path)) {
            long end = tensor.offset() + tensor.length();
            if (end > in.size()) {
                throw WeightFileException.inTensor(
                        path, tensor.name(), "its data runs past the end of the file: truncated");
            }
            in.seek(tensor.offset());
            int i = 0;
            while (in.position() < end) {
                if (i == count) {
                    throw WeightFileException.inTensor(
                            path,
                            tensor.name(),
                            "stores more values than its shape %s holds"
                                    .formatted(tensor.info().shape()));
                }
                switch (tensor.storage()) {
                    case PACKED_FLOAT -> out[i] = Float.intBitsToFloat(in.readFixed32(end));
                    case PACKED_DOUBLE -> out[i] = (float) Double.longBitsToDouble(in.readFixed64(end));
                    case PACKED_INT32 -> {
                        long v = in.readVarint(end);
                        out[i] = typedValue(type, (int) v, (int) v);
                    }
                    default -> {
                        long v = in.readVarint(end);
                        out[i] = v;
                    }
                }
                i++;
            }
            if (i != count) {
                throw WeightFileException.inTensor(
                        path,
                        tensor.name(),
                        "stores %d values but its shape %s needs %d"
                                .formatted(i, tensor.info().shape(), count));
            }
        }
        return out;
    }

    /** int32_data holds fp16/bf16 as bit patterns and small integers as values. */
    private static float typedValue(DataType type, long bits, double value) {
        return switch (type) {
            case FLOAT16 -> ElementDecoder.half((int) bits);
            case BFLOAT16 -> ElementDecoder.bfloat((int) bits);
            default -> (float) value;
        };
    }

    private void checkCount(OnnxTensor tensor, int stored) {
        if (stored != tensor.info().elementCount()) {
            throw WeightFileException.inTensor(
                    path,
                    tensor.name(),
                    "stores %d values but its shape %s needs %d"
                            .formatted(
                                    stored, tensor.info().shape(), tensor.info().elementCount()));
        }
    }
}
