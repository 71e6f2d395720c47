package dev.mpq.sensitivity.onnx;

import dev.mpq.sensitivity.format.MiniFloat;
import dev.mpq.sensitivity.weights.DataType;
import dev.mpq.sensitivity.weights.ProtoWriter;
import dev.mpq.sensitivity.weights.WeightFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Rewrites of an ONNX model file without re-serialising it: the file is copied as bytes and changed
 * in place.
 *
 * <ul>
 *   <li>{@link #withExtraOutputs}: appends graph outputs (field 12 of the main graph; protobuf
 *       concatenates repeated fields) so that a run returns intermediate activations;
 *   <li>{@link #withReplacedTensors}: overwrites the stored elements of tensors (Constant-node
 *       weights, which {@code addInitializer} cannot replace) with new values in the same encoding,
 *       so no length changes;
 *   <li>{@link #withInitializersAsInputs}: initializers declared graph inputs;
 *   <li>{@link #withQuantizedActivations}: the data input of MatMul/Gemm layers fake-quantized with
 *       dynamic per-row symmetric integer quantization (standard ONNX ops inserted before the layer
 *       node, the layer node's input renamed).
 * </ul>
 */
public final class OnnxModelEditor {

    private OnnxModelEditor() {}

    /**
     * Copies the model to {@code target} with {@code names} added as graph outputs of the given ONNX
     * element types (1 = float, 10 = float16...), shape left open.
     */
    public static Path withExtraOutputs(OnnxModel model, Map<String, Integer> names, Path target) {
        ProtoWriter appended = new ProtoWriter();
        for (Map.Entry<String, Integer> e : names.entrySet()) {
            ProtoWriter tensorType = new ProtoWriter().varintField(1, e.getValue());
            ProtoWriter type = new ProtoWriter().messageField(1, tensorType);
            appended.messageField(
                    12, new ProtoWriter().stringField(1, e.getKey()).messageField(2, type));
        }
        return appendToGraph(model, appended.toByteArray(), target);
    }

    /**
     * Copies the model to {@code target} with these initializers of the main graph turned into graph
     * inputs (their initializer fields dropped, an input with their type and shape appended), so one
     * session can run with any weights fed as inputs. (ONNX Runtime's Java API refuses to feed an
     * initializer that is also an input, so the defaults are removed: every run feeds them all.)
     */
    public static Path withInitializersAsInputs(OnnxModel model, List<OnnxTensor> initializers, Path target) {
        ProtoWriter appended = new ProtoWriter();
        java.util.TreeMap<Long, Long> dropped = new java.util.TreeMap<>();
        for (OnnxTensor t : initializers) {
            List<Long> field = model.graph().initializerFields().get(t.name());
            if (field == null) {
                throw new IllegalArgumentException("'%s' is not an initializer of the main graph.".formatted(t.name()));
            }
            dropped.put(field.get(0), field.get(1));
            int code = switch (t.info().type()) {
                case FLOAT32 -> 1;
                case FLOAT16 -> 10;
                case BFLOAT16 -> 16;
                default ->
                    throw new IllegalArgumentException("Initializer '%s' is %s; only float weights can be fed."
                            .formatted(t.name(), t.info().type()));
            };
            ProtoWriter shape = new ProtoWriter();
            for (long d : t.info().shape()) {
                shape.messageField(1, new ProtoWriter().varintField(1, d));
            }
            ProtoWriter tensorType = new ProtoWriter().varintField(1, code).messageField(2, shape);
            ProtoWriter type = new ProtoWriter().messageField(1, tensorType);
            appended.messageField(11, new ProtoWriter().stringField(1, t.name()).messageField(2, type));
        }
        return rewriteGraph(model, dropped, appended.toByteArray(), target);
    }

    /**
     * Copies the model to {@code target} with the data input of each given MatMul/Gemm layer (of the
     * main graph) fake-quantized to signed integers of the given bits, exactly as the Java kernels
     * quantize activations ({@code devices}' {@code Int8Activations}): dynamic, per row (per token:
     * the slice along the layer's contraction axis), symmetric, {@code qmax = 2^(bits-1) - 1},
     * {@code scale = absmax / qmax} in float32 ({@code 1} for an all-zero row), {@code code =
     * round-half-to-even(x / scale)} clamped to {@code -qmax..qmax}, value {@code code * scale}.
     *
     * <p>Built from standard ops (opset >= 11: Abs, ReduceMax with keepdims, Greater, Div, Where,
     * Round, Clip, Mul) inserted right before the first layer node that reads the value, so the node
     * list stays topologically sorted; layers reading the same value with the same bits share one
     * chain. Each layer node's data input is renamed to the chain's output; everything else in the
     * file (weights included, so {@code addInitializer} overrides by name still apply) is copied as
     * bytes. The constants are float32 initializers: the data inputs must be float32.
     *
     * @param bits activation bits per layer (2..16)
     * @throws IllegalArgumentException for a layer that is not a MatMul/Gemm of the main graph, bits
     *     out of range, or a model below opset 11
     */
    public static Path withQuantizedActivations(OnnxModel model, Map<OnnxLayer, Integer> bits, Path target) {
        long opset = model.opsets().getOrDefault("", model.opsets().getOrDefault("ai.onnx", 0L));
        if (opset < 11) {
            throw new IllegalArgumentException(
                    "Fake-quantizing activations needs ONNX opset >= 11 (Round); %s declares opset %d. Convert the model to a newer opset."
                            .formatted(model.path(), opset));
        }
        List<OnnxNode> nodes = model.graph().nodes();
        Map<Integer, OnnxLayer> byIndex = new java.util.TreeMap<>();
        for (OnnxLayer layer : bits.keySet()) {
            int b = bits.get(layer);
            if (b < 2 || b > 16) {
                throw new IllegalArgumentException(
                        "Layer '%s': %d activation bits; integer activations need 2..16 bits (e.g. 8 for int8)."
                                .formatted(layer.name(), b));
            }
            int index = indexOf(nodes, layer.node());
            if (index < 0) {
                throw new IllegalArgumentException(
                        "Layer '%s' is not a node of the main graph; only main-graph MatMul/Gemm inputs can be quantized."
                                .formatted(layer.name()));
            }
            contractionAxis(layer); // validates the op type
            byIndex.put(index, layer);
        }
        List<long[]> fields = nodeFields(model);
        if (fields.size() != nodes.size()) {
            throw new IllegalStateException("Found %d node fields in %s for %d parsed nodes."
                    .formatted(fields.size(), model.path(), nodes.size()));
        }
        java.util.TreeMap<Long, Splice> splices = new java.util.TreeMap<>();
        Map<String, String> chains = new java.util.HashMap<>();
        java.util.Set<Integer> qmaxes = new java.util.TreeSet<>();
        try (dev.mpq.sensitivity.weights.WireAccess in = new dev.mpq.sensitivity.weights.WireAccess(model.path())) {
            for (Map.Entry<Integer, OnnxLayer> e : byIndex.entrySet()) {
                OnnxLayer layer = e.getValue();
                int qmax = (1 << (bits.get(layer) - 1)) - 1;
                long axis = contractionAxis(layer);
                String key = layer.dataInput() + "|" + qmax + "|" + axis;
                ProtoWriter inserted = new ProtoWriter();
                String quantized = chains.get(key);
                if (quantized == null) {
                    String p = "mpq_aq/" + chains.size() + "/";
                    quantized = p + "x";
                    chains.put(key, quantized);
                    qmaxes.add(qmax);
                    appendChain(inserted, layer.dataInput(), p, qmax, axis, opset);
                }
                long[] field = fields.get(e.getKey());
                ByteBuffer original = ByteBuffer.allocate((int) (field[1] - field[0]));
                in.readAt(field[0], original);
                inserted.raw(renameInput(original.array(), layer.dataInput(), quantized));
                splices.put(field[0], new Splice(field[1], inserted.toByteArray()));
            }
        }
        ProtoWriter constants = new ProtoWriter()
                .messageField(5, floatScalar(CONSTANTS + "zero", 0f))
                .messageField(5, floatScalar(CONSTANTS + "one", 1f));
        for (int qmax : qmaxes) {
            constants.messageField(5, floatScalar(CONSTANTS + "qmax" + qmax, qmax));
            constants.messageField(5, floatScalar(CONSTANTS + "-qmax" + qmax, -qmax));
        }
        return splice(model, splices, constants.toByteArray(), target);
    }

    private static final String CONSTANTS = "mpq_aq/const/";

    /** The axis each output sums over in the layer's data input (the per-token row's axis). */
    private static long contractionAxis(OnnxLayer layer) {
        OnnxNode node = layer.node();
        int slot = node.inputs().indexOf(layer.dataInput());
        return switch (node.opType()) {
            case "MatMul" -> slot == 0 ? -1 : -2;
            case "Gemm" ->
                slot == 0
                        ? (node.intAttribute("transA", 0) != 0 ? -2 : -1)
                        : (node.intAttribute("transB", 0) != 0 ? -1 : -2);
            default ->
                throw new IllegalArgumentException(
                        "Layer '%s' is a %s; activation quantization is emulated for MatMul and Gemm layers only."
                                .formatted(layer.name(), node.opType()));
        };
    }

    /** Abs -> ReduceMax -> scale (Where for all-zero rows) -> Div -> Round -> Clip -> Mul. */
    private static void appendChain(ProtoWriter into, String x, String p, int qmax, long axis, long opset) {
        into.messageField(1, node(p + "abs", "Abs", List.of(x), p + "abs"));
        ProtoWriter reduce;
        if (opset >= 18) {
            into.messageField(1, constantNode(p + "axes", axis));
            reduce = node(p + "absmax", "ReduceMax", List.of(p + "abs", p + "axes"), p + "absmax");
        } else {
            reduce = node(p + "absmax", "ReduceMax", List.of(p + "abs"), p + "absmax")
                    .messageField(
                            5,
                            new ProtoWriter()
                                    .stringField(1, "axes")
                                    .varintField(8, axis)
                                    .varintField(20, 7));
        }
        reduce.messageField(
                5,
                new ProtoWriter().stringField(1, "keepdims").varintField(3, 1).varintField(20, 2));
        into.messageField(1, reduce);
        String q = CONSTANTS + "qmax" + qmax;
        into.messageField(1, node(p + "nonzero", "Greater", List.of(p + "absmax", CONSTANTS + "zero"), p + "nonzero"));
        into.messageField(1, node(p + "ratio", "Div", List.of(p + "absmax", q), p + "ratio"));
        into.messageField(
                1, node(p + "scale", "Where", List.of(p + "nonzero", p + "ratio", CONSTANTS + "one"), p + "scale"));
        into.messageField(1, node(p + "scaled", "Div", List.of(x, p + "scale"), p + "scaled"));
        into.messageField(1, node(p + "round", "Round", List.of(p + "scaled"), p + "round"));
        into.messageField(1, node(p + "code", "Clip", List.of(p + "round", CONSTANTS + "-qmax" + qmax, q), p + "code"));
        into.messageField(1, node(p + "x", "Mul", List.of(p + "code", p + "scale"), p + "x"));
    }

    private static ProtoWriter node(String name, String op, List<String> inputs, String output) {
        ProtoWriter n = new ProtoWriter();
        inputs.forEach(i -> n.stringField(1, i));
        return n.stringField(2, output).stringField(3, name).stringField(4, op);
    }

    /** A Constant node holding an int64 tensor [1] (ReduceMax's axes input from opset 18). */
    private static ProtoWriter constantNode(String name, long value) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        ProtoWriter tensor =
                new ProtoWriter().varintField(1, 1).varintField(2, 7).bytesField(9, b.array());
        ProtoWriter attribute = new ProtoWriter()
                .stringField(1, "value")
                .messageField(5, tensor)
                .varintField(20, 4);
        return new ProtoWriter()
                .stringField(2, name)
                .stringField(3, name)
                .stringField(4, "Constant")
                .messageField(5, attribute);
    }

    private static ProtoWriter floatScalar(String name, float value) {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
        return new ProtoWriter().varintField(2, 1).stringField(8, name).bytesField(9, b.array());
    }

    private static int indexOf(List<OnnxNode> nodes, OnnxNode node) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i) == node) {
                return i;
            }
        }
        return nodes.indexOf(node);
    }

    /** {start, end} of every node field (field 1) of the main graph, in file order. */
    private static List<long[]> nodeFields(OnnxModel model) {
        List<long[]> fields = new java.util.ArrayList<>();
        long end = model.graphField().get(2);
        try (dev.mpq.sensitivity.weights.WireAccess in = new dev.mpq.sensitivity.weights.WireAccess(model.path())) {
            in.seek(model.graphField().get(1));
            while (in.position() < end) {
                long start = in.position();
                long tag = in.readVarint(end);
                int wire = (int) (tag & 7);
                in.skip(wire, end);
                if (tag >>> 3 == 1 && wire == dev.mpq.sensitivity.weights.WireAccess.LENGTH_DELIMITED) {
                    fields.add(new long[] {start, in.position()});
                }
            }
        }
        return fields;
    }

    /**
     * A node field (tag, length, NodeProto) with every input (field 1) equal to {@code from} renamed
     * to {@code to}; all other fields copied as bytes.
     */
    private static byte[] renameInput(byte[] field, String from, String to) {
        int[] at = {0};
        long tag = varint(field, at);
        if (tag != ((1 << 3) | 2)) {
            throw new IllegalStateException("Expected a node field, found tag " + tag);
        }
        int length = (int) varint(field, at);
        int end = at[0] + length;
        ProtoWriter node = new ProtoWriter();
        while (at[0] < end) {
            int start = at[0];
            long t = varint(field, at);
            int wire = (int) (t & 7);
            switch (wire) {
                case 0 -> varint(field, at);
                case 1 -> at[0] += 8;
                case 2 -> {
                    int n = (int) varint(field, at);
                    if (t >>> 3 == 1
                            && new String(field, at[0], n, java.nio.charset.StandardCharsets.UTF_8).equals(from)) {
                        at[0] += n;
                        node.stringField(1, to);
                        continue;
                    }
                    at[0] += n;
                }
                case 5 -> at[0] += 4;
                default -> throw new IllegalStateException("Unsupported wire type " + wire + " in a node");
            }
            node.raw(java.util.Arrays.copyOfRange(field, start, at[0]));
        }
        return new ProtoWriter().messageField(1, node).toByteArray();
    }

    private static long varint(byte[] b, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int c = b[at[0]++] & 0xff;
            value |= (long) (c & 0x7f) << shift;
            if (c < 0x80) {
                return value;
            }
        }
        throw new IllegalStateException("Malformed varint in a node");
    }

    private static Path appendToGraph(OnnxModel model, byte[] extra, Path target) {
        return rewriteGraph(model, new java.util.TreeMap<Long, Long>(), extra, target);
    }

    /** Copies the model with byte ranges of the main graph dropped and {@code extra} fields appended to it. */
    private static Path rewriteGraph(
            OnnxModel model, java.util.TreeMap<Long, Long> dropped, byte[] extra, Path target) {
        java.util.TreeMap<Long, Splice> splices = new java.util.TreeMap<>();
        dropped.forEach((from, to) -> splices.put(from, new Splice(to, new byte[0])));
        return splice(model, splices, extra, target);
    }

    /** A byte range of the main graph [key, end) replaced by {@code bytes}. */
    private record Splice(long end, byte[] bytes) {}

    /**
     * Copies the model with byte ranges of the main graph replaced (by start offset) and {@code
     * extra} fields appended to it.
     */
    private static Path splice(OnnxModel model, java.util.TreeMap<Long, Splice> splices, byte[] extra, Path target) {
        List<Long> g = model.graphField();
        long tagOffset = g.get(0);
        long start = g.get(1);
        long end = g.get(2);
        long removed = 0;
        for (Map.Entry<Long, Splice> d : splices.entrySet()) {
            removed += d.getValue().end() - d.getKey() - d.getValue().bytes().length;
        }
        byte[] header = new ProtoWriter()
                .tag(7, 2)
                .varint(end - start - removed + extra.length)
                .toByteArray();
        try (FileChannel in = FileChannel.open(model.path(), StandardOpenOption.READ);
                FileChannel out = FileChannel.open(
                        target,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            copy(in, 0, tagOffset, out);
            write(out, header);
            long at = start;
            for (Map.Entry<Long, Splice> d : splices.entrySet()) {
                copy(in, at, d.getKey() - at, out);
                write(out, d.getValue().bytes());
                at = d.getValue().end();
            }
            copy(in, at, end - at, out);
            write(out, extra);
            copy(in, end, model.fileSize() - end, out);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing " + target, e);
        }
        return target;
    }

    /**
     * Copies the model to {@code target} with the elements of each tensor replaced (stored layout,
     * as floats; rounded to the tensor's type: float32 as is, float16/bfloat16 half to even). Works
     * for raw data and packed float_data in the model file.
     */
    public static Path withReplacedTensors(OnnxModel model, Map<OnnxTensor, float[]> values, Path target) {
        try {
            Files.copy(model.path(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE)) {
                for (Map.Entry<OnnxTensor, float[]> e : values.entrySet()) {
                    OnnxTensor t = e.getKey();
                    float[] v = e.getValue();
                    if (v.length != t.info().elementCount()) {
                        throw new IllegalArgumentException("Replacing tensor '%s': %d values for %d elements."
                                .formatted(t.name(), v.length, t.info().elementCount()));
                    }
                    out.write(encode(model, t, v), t.offset());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Writing " + target, e);
        }
        return target;
    }

    private static ByteBuffer encode(OnnxModel model, OnnxTensor t, float[] v) {
        boolean raw = t.storage() == OnnxTensor.Storage.RAW;
        boolean packedFloat = t.storage() == OnnxTensor.Storage.PACKED_FLOAT;
        DataType type = t.info().type();
        if (!(raw && (type == DataType.FLOAT32 || type == DataType.FLOAT16 || type == DataType.BFLOAT16))
                && !(packedFloat && type == DataType.FLOAT32)) {
            throw WeightFileException.inTensor(
                    model.path(),
                    t.name(),
                    "replacing its values needs raw float32/float16/bfloat16 or packed float_data in the model file; it has %s %s"
                            .formatted(t.storage(), type));
        }
        ByteBuffer b = ByteBuffer.allocate(v.length * (type == DataType.FLOAT32 ? 4 : 2))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            switch (type) {
                case FLOAT32 -> b.putFloat(x);
                case FLOAT16 -> b.putShort((short) MiniFloat.FP16.encode(x));
                default -> b.putShort((short) MiniFloat.BF16.encode(x));
            }
        }
        return b.flip();
    }

    private static void copy(FileChannel in, long position, long count, FileChannel out) throws IOException {
        long done = 0;
        while (done < count) {
            long n = in.transferTo(position + done, count - done, out);
            if (n <= 0) {
                throw new IOException("short copy at " + (position + done));
            }
            done += n;
        }
    }

    private static void write(FileChannel out, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            out.write(b);
        }
    }
}
