package dev.mpq.sensitivity.weights;

import dev.mpq.sensitivity.profile.JsonText;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file: an 8-byte little-endian header length N, N bytes of JSON ({@code name ->
 * {dtype, shape, data_offsets: [begin, end]}}, begin/end relative to the data that follows), then
 * the tensors. Only the header is read when opening; tensors are read one at a time in chunks.
 */
public final class SafetensorsFile implements TensorFile {

    /** Headers larger than this are refused as corrupt (the format's own limit is 100 MB). */
    public static final long MAX_HEADER = 100L << 20;

    private final Path path;
    private final List<TensorInfo> tensors;
    private final Map<String, long[]> ranges;
    private final long dataStart;
    private final long size;

    private SafetensorsFile(
            Path path, List<TensorInfo> tensors, Map<String, long[]> ranges, long dataStart, long size) {
        this.path = path;
        this.tensors = List.copyOf(tensors);
        this.ranges = ranges;
        this.dataStart = dataStart;
        this.size = size;
    }

    /** Reads and checks the header. */
    @SuppressWarnings("unchecked")
    public static SafetensorsFile open(Path path) {
        try (WireAccess file = new WireAccess(path)) {
            long size = file.size();
            if (size < 8) {
                throw WeightFileException.at(
                        path, 0, "the file is truncated: %d bytes, a safetensors header needs 8".formatted(size));
            }
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            file.readAt(0, head);
            long n = head.flip().getLong();
            if (n <= 0 || n > MAX_HEADER) {
                throw WeightFileException.at(
                        path, 0, "header length %d is not plausible (not a safetensors file?)".formatted(n));
            }
            if (8 + n > size) {
                throw WeightFileException.at(
                        path, 8, "the file is truncated: the header needs %d bytes, %d remain".formatted(n, size - 8));
            }
            ByteBuffer json = ByteBuffer.allocate((int) n);
            file.readAt(8, json);
            Object root;
            try {
                root = JsonText.parse(new String(json.array(), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new WeightFileException(path, "header (offset 8)", e.getMessage(), e);
            }
            if (!(root instanceof Map<?, ?> entries)) {
                throw WeightFileException.at(path, 8, "the header is not a JSON object");
            }
            long dataStart = 8 + n;
            List<TensorInfo> tensors = new ArrayList<>();
            Map<String, long[]> ranges = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) entries).entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                String name = e.getKey();
                if (!(e.getValue() instanceof Map<?, ?> t)
                        || !(t.get("dtype") instanceof String dtype)
                        || !(t.get("shape") instanceof List<?> shapeList)
                        || !(t.get("data_offsets") instanceof List<?> offsets)
                        || offsets.size() != 2) {
                    throw WeightFileException.inTensor(
                            path, name, "header entry lacks dtype, shape or data_offsets [begin, end]");
                }
                List<Long> shape = new ArrayList<>();
                for (Object d : shapeList) {
                    if (!(d instanceof Double dd) || dd < 0 || dd != Math.rint(dd)) {
                        throw WeightFileException.inTensor(
                                path, name, "shape %s is not a list of non-negative integers".formatted(shapeList));
                    }
                    shape.add(dd.longValue());
                }
                long begin = ((Double) offsets.get(0)).longValue();
                long end = ((Double) offsets.get(1)).longValue();
                DataType type = type(dtype);
                TensorInfo info = new TensorInfo(name, type, shape, dtype);
                if (begin < 0 || end < begin) {
                    throw WeightFileException.inTensor(
                            path, name, "data_offsets [%d, %d] are not a range".formatted(begin, end));
                }
                if (type != DataType.OTHER && end - begin != info.elementCount() * type.bytes()) {
                    throw WeightFileException.inTensor(
                            path,
                            name,
                            "holds %d bytes but %s %s needs %d"
                                    .formatted(end - begin, dtype, shape, info.elementCount() * type.bytes()));
                }
                if (dataStart + end > size) {
                    throw WeightFileException.inTensor(
                            path,
                            name,
                            "data ends at offset %d, past the end of the file (%d bytes): truncated"
                                    .formatted(dataStart + end, size));
                }
                tensors.add(info);
                ranges.put(name, new long[] {dataStart + begin, end - begin});
            }
            return new SafetensorsFile(path, tensors, ranges, dataStart, size);
        }
    }

    private static DataType type(String dtype) {
        return switch (dtype) {
            case "F32" -> DataType.FLOAT32;
            case "F16" -> DataType.FLOAT16;
            case "BF16" -> DataType.BFLOAT16;
            case "I8" -> DataType.INT8;
            case "U8" -> DataType.UINT8;
            case "I16" -> DataType.INT16;
            case "I32" -> DataType.INT32;
            case "I64" -> DataType.INT64;
            case "F64" -> DataType.FLOAT64;
            default -> DataType.OTHER;
        };
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /** Offset of the tensor data section (8 + header length). */
    public long dataStart() {
        return dataStart;
    }

    @Override
    public float[] readFloats(String name) {
        TensorInfo info = tensor(name);
        long[] range = ranges.get(name);
        if (info.type() == DataType.OTHER) {
            throw WeightFileException.inTensor(
                    path,
                    name,
                    "dtype %s cannot be decoded (supported: F32, F16, BF16, I8, U8, I16, I32, I64, F64)"
                            .formatted(info.sourceType()));
        }
        try (WireAccess file = new WireAccess(path)) {
            if (file.size() != size) {
                throw WeightFileException.inTensor(path, name, "the file changed size since it was opened");
            }
            return ElementDecoder.readRaw(file, path, name, info.type(), range[0], range[1], info.elementCount());
        }
    }
}
