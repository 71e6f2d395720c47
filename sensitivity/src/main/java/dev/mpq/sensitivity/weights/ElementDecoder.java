package dev.mpq.sensitivity.weights;

import dev.mpq.sensitivity.format.MiniFloat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Decodes little-endian stored elements to float, reading a file in chunks of at most 1 MiB so that
 * a tensor never needs a second full-size copy in memory.
 */
public final class ElementDecoder {

    private static final int CHUNK = 1 << 16;
    private static final float[] HALF = new float[1 << 16];

    static {
        for (int bits = 0; bits < HALF.length; bits++) {
            HALF[bits] = (float) MiniFloat.FP16.decode(bits);
        }
    }

    private ElementDecoder() {}

    /** fp16 bit pattern to float. */
    public static float half(int bits) {
        return HALF[bits & 0xffff];
    }

    /** bfloat16 bit pattern to float. */
    public static float bfloat(int bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /**
     * Reads {@code count} elements of {@code type} stored raw at {@code offset} of an open file.
     *
     * @throws WeightFileException when the type cannot be decoded or the stored length does not match
     */
    public static float[] readRaw(
            WireAccess file, Path reportedFile, String tensor, DataType type, long offset, long length, long count) {
        return readRaw(file, reportedFile, tensor, type, offset, length, count, null);
    }

    /** As above, into {@code into} when it has exactly {@code count} elements (else a new array). */
    public static float[] readRaw(
            WireAccess file,
            Path reportedFile,
            String tensor,
            DataType type,
            long offset,
            long length,
            long count,
            float[] into) {
        if (type == DataType.OTHER) {
            throw WeightFileException.inTensor(reportedFile, tensor, "its element type cannot be decoded to float");
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw WeightFileException.inTensor(
                    reportedFile, tensor, "has %d elements, more than one array holds".formatted(count));
        }
        if (length != count * type.bytes()) {
            throw WeightFileException.inTensor(
                    reportedFile,
                    tensor,
                    "stores %d bytes but its shape and type need %d (%d x %d bytes)"
                            .formatted(length, count * type.bytes(), count, type.bytes()));
        }
        if (offset + length > file.size()) {
            throw WeightFileException.inTensor(
                    reportedFile,
                    tensor,
                    "data at offset %d with %d bytes runs past the end of the file (%d bytes): truncated"
                            .formatted(offset, length, file.size()));
        }
        float[] out = into != null && into.length == count ? into : new float[(int) count];
        int perChunk = Math.max(1, CHUNK / type.bytes());
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, (long) perChunk * type.bytes()))
                .order(ByteOrder.LITTLE_ENDIAN);
        int done = 0;
        while (done < count) {
            int n = (int) Math.min(perChunk, count - done);
            buffer.clear().limit(n * type.bytes());
            file.readAt(offset + (long) done * type.bytes(), buffer);
            buffer.flip();
            decode(buffer, type, out, done, n);
            done += n;
        }
        return out;
    }

    /** Decodes {@code n} elements from {@code buffer} (little-endian) into out[at..]. */
    public static void decode(ByteBuffer buffer, DataType type, float[] out, int at, int n) {
        for (int i = 0; i < n; i++) {
            out[at + i] = switch (type) {
                case FLOAT32 -> buffer.getFloat();
                case FLOAT16 -> half(buffer.getShort());
                case BFLOAT16 -> bfloat(buffer.getShort());
                case INT8 -> buffer.get();
                case UINT8 -> buffer.get() & 0xff;
                case INT16 -> buffer.getShort();
                case INT32 -> buffer.getInt();
                case INT64 -> buffer.getLong();
                case FLOAT64 -> (float) buffer.getDouble();
                case OTHER -> throw new IllegalArgumentException("type OTHER cannot be decoded");
            };
        }
    }
}
