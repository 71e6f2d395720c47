package dev.mpq.sensitivity.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GGUF file (llama.cpp, versions 2 and 3): magic "GGUF", version, tensor count, metadata
 * key/values, tensor infos (name, dims with ne[0] fastest, ggml type, offset), then the data
 * section aligned to {@code general.alignment} (default 32). Shapes here are row-major (ne reversed).
 * Tensor data is decoded for F32, F16 and BF16; block-quantized types (Q4_0, Q8_0, K-quants...)
 * are listed with their type name and refused when read.
 */
public final class GgufFile implements TensorFile {

    private static final int MAGIC = 0x46554747; // "GGUF" little-endian

    private final Path path;
    private final int version;
    private final Map<String, Object> metadata;
    private final List<TensorInfo> tensors;
    private final Map<String, Long> offsets;
    private final Map<String, Integer> ggmlTypes;

    private GgufFile(
            Path path,
            int version,
            Map<String, Object> metadata,
            List<TensorInfo> tensors,
            Map<String, Long> offsets,
            Map<String, Integer> ggmlTypes) {
        this.path = path;
        this.version = version;
        this.metadata = metadata;
        this.tensors = List.copyOf(tensors);
        this.offsets = offsets;
        this.ggmlTypes = ggmlTypes;
    }

    /** The ggml type name of a type code. */
    public static String typeName(int type) {
        return switch (type) {
            case 0 -> "F32";
            case 1 -> "F16";
            case 2 -> "Q4_0";
            case 3 -> "Q4_1";
            case 6 -> "Q5_0";
            case 7 -> "Q5_1";
            case 8 -> "Q8_0";
            case 9 -> "Q8_1";
            case 10 -> "Q2_K";
            case 11 -> "Q3_K";
            case 12 -> "Q4_K";
            case 13 -> "Q5_K";
            case 14 -> "Q6_K";
            case 15 -> "Q8_K";
            case 24 -> "I8";
            case 25 -> "I16";
            case 26 -> "I32";
            case 27 -> "I64";
            case 28 -> "F64";
            case 30 -> "BF16";
            default -> "type " + type;
        };
    }

    /** Reads the header: metadata and tensor infos. */
    public static GgufFile open(Path path) {
        try (WireAccess file = new WireAccess(path)) {
            Cursor in = new Cursor(file, path);
            int magic = in.u32();
            if (magic != MAGIC) {
                throw WeightFileException.at(path, 0, "magic is 0x%08x, not \"GGUF\"".formatted(magic));
            }
            int version = in.u32();
            if (version < 2 || version > 3) {
                throw WeightFileException.at(
                        path, 4, "GGUF version %d is not supported (2 and 3 are)".formatted(version));
            }
            long tensorCount = in.u64();
            long kvCount = in.u64();
            if (tensorCount < 0 || tensorCount > 1_000_000 || kvCount < 0 || kvCount > 1_000_000) {
                throw WeightFileException.at(
                        path, 8, "implausible counts: %d tensors, %d metadata entries".formatted(tensorCount, kvCount));
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (long k = 0; k < kvCount; k++) {
                String key = in.string();
                int type = in.u32();
                metadata.put(key, in.value(type, key));
            }
            long alignment = metadata.get("general.alignment") instanceof Number a ? a.longValue() : 32;
            if (alignment <= 0 || (alignment & (alignment - 1)) != 0) {
                throw WeightFileException.at(
                        path, in.position, "general.alignment %d is not a power of two".formatted(alignment));
            }
            List<TensorInfo> tensors = new ArrayList<>();
            Map<String, Long> relative = new LinkedHashMap<>();
            Map<String, Integer> types = new LinkedHashMap<>();
            for (long t = 0; t < tensorCount; t++) {
                String name = in.string();
                int dims = in.u32();
                if (dims < 0 || dims > 8) {
                    throw WeightFileException.inTensor(path, name, "has %d dimensions (at most 8)".formatted(dims));
                }
                long[] ne = new long[dims];
                for (int d = 0; d < dims; d++) {
                    ne[d] = in.u64();
                    if (ne[d] < 0) {
                        throw WeightFileException.inTensor(path, name, "has a negative dimension");
                    }
                }
                int type = in.u32();
                long offset = in.u64();
                List<Long> shape = new ArrayList<>();
                for (int d = dims - 1; d >= 0; d--) {
                    shape.add(ne[d]);
                }
                DataType dt = switch (type) {
                    case 0 -> DataType.FLOAT32;
                    case 1 -> DataType.FLOAT16;
                    case 30 -> DataType.BFLOAT16;
                    default -> DataType.OTHER;
                };
                tensors.add(new TensorInfo(name, dt, shape, typeName(type)));
                relative.put(name, offset);
                types.put(name, type);
            }
            long dataStart = (in.position + alignment - 1) / alignment * alignment;
            Map<String, Long> absolute = new LinkedHashMap<>();
            for (TensorInfo info : tensors) {
                long start = dataStart + relative.get(info.name());
                if (info.type() != DataType.OTHER
                        && start + info.elementCount() * info.type().bytes() > file.size()) {
                    throw WeightFileException.inTensor(
                            path,
                            info.name(),
                            "data at offset %d runs past the end of the file (%d bytes): truncated"
                                    .formatted(start, file.size()));
                }
                absolute.put(info.name(), start);
            }
            return new GgufFile(path, version, metadata, tensors, absolute, types);
        }
    }

    public int version() {
        return version;
    }

    /** Metadata values: numbers, booleans, strings, and for arrays a list (strings/numbers). */
    public Map<String, Object> metadata() {
        return metadata;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public List<TensorInfo> tensors() {
        return tensors;
    }

    @Override
    public float[] readFloats(String name) {
        TensorInfo info = tensor(name);
        if (info.type() == DataType.OTHER) {
            throw WeightFileException.inTensor(
                    path, name, "ggml type %s cannot be decoded (F32, F16 and BF16 can)".formatted(info.sourceType()));
        }
        try (WireAccess file = new WireAccess(path)) {
            long length = info.elementCount() * info.type().bytes();
            return ElementDecoder.readRaw(
                    file, path, name, info.type(), offsets.get(name), length, info.elementCount());
        }
    }

    /** Sequential little-endian reads through the file window. */
    private static final class Cursor {
        private final WireAccess file;
        private final Path path;
        private long position;

        Cursor(WireAccess file, Path path) {
            this.file = file;
            this.path = path;
        }

        private ByteBuffer take(int n) {
            if (position + n > file.size()) {
                throw WeightFileException.at(path, position, "the file is truncated (header ends inside a field)");
            }
            ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
            file.readAt(position, b);
            position += n;
            return b.flip();
        }

        int u32() {
            return take(4).getInt();
        }

        long u64() {
            return take(8).getLong();
        }

        String string() {
            long n = u64();
            if (n < 0 || n > (1 << 24)) {
                throw WeightFileException.at(
                        path, position - 8, "string length %d is not plausible (corrupt header)".formatted(n));
            }
            return new String(take((int) n).array(), StandardCharsets.UTF_8);
        }

        Object value(int type, String key) {
            return switch (type) {
                case 0 -> take(1).get() & 0xff;
                case 1 -> (int) take(1).get();
                case 2 -> take(2).getShort() & 0xffff;
                case 3 -> (int) take(2).getShort();
                case 4 -> u32() & 0xffffffffL;
                case 5 -> u32();
                case 6 -> take(4).getFloat();
                case 7 -> take(1).get() != 0;
                case 8 -> string();
                case 9 -> {
                    int elementType = u32();
                    long n = u64();
                    if (n < 0 || n > (1L << 26)) {
                        throw WeightFileException.at(
                                path, position - 8, "array '%s' has %d elements (corrupt header?)".formatted(key, n));
                    }
                    List<Object> list = new ArrayList<>();
                    for (long i = 0; i < n; i++) {
                        list.add(value(elementType, key));
                    }
                    yield list;
                }
                case 10 -> u64();
                case 11 -> u64();
                case 12 -> take(8).getDouble();
                default ->
                    throw WeightFileException.at(
                            path, position - 4, "metadata '%s' has unknown value type %d".formatted(key, type));
            };
        }
    }
}
