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
 *       so no length changes.
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

    private static Path appendToGraph(OnnxModel model, byte[] extra, Path target) {
        return rewriteGraph(model, new java.util.TreeMap<>(), extra, target);
    }

    /** Copies the model with byte ranges of the main graph dropped and {@code extra} fields appended to it. */
    private static Path rewriteGraph(
            OnnxModel model, java.util.TreeMap<Long, Long> dropped, byte[] extra, Path target) {
        List<Long> g = model.graphField();
        long tagOffset = g.get(0);
        long start = g.get(1);
        long end = g.get(2);
        long removed = 0;
        for (Map.Entry<Long, Long> d : dropped.entrySet()) {
            removed += d.getValue() - d.getKey();
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
            for (Map.Entry<Long, Long> d : dropped.entrySet()) {
                copy(in, at, d.getKey() - at, out);
                at = d.getValue();
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
