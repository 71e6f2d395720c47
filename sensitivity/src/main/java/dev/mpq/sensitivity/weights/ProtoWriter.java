package dev.mpq.sensitivity.weights;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes protocol-buffer wire format into memory: enough to build small messages and graph patches. */
public final class ProtoWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public ProtoWriter varint(long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return this;
    }

    public ProtoWriter tag(int field, int wireType) {
        return varint(((long) field << 3) | wireType);
    }

    public ProtoWriter varintField(int field, long value) {
        return tag(field, WireAccess.VARINT).varint(value);
    }

    public ProtoWriter fixed32Field(int field, int bits) {
        tag(field, WireAccess.FIXED32);
        for (int i = 0; i < 4; i++) {
            out.write((bits >>> (8 * i)) & 0xff);
        }
        return this;
    }

    public ProtoWriter bytesField(int field, byte[] bytes) {
        tag(field, WireAccess.LENGTH_DELIMITED).varint(bytes.length);
        out.write(bytes, 0, bytes.length);
        return this;
    }

    public ProtoWriter stringField(int field, String text) {
        return bytesField(field, text.getBytes(StandardCharsets.UTF_8));
    }

    public ProtoWriter messageField(int field, ProtoWriter message) {
        return bytesField(field, message.toByteArray());
    }

    /** Appends already encoded bytes (whole fields). */
    public ProtoWriter raw(byte[] bytes) {
        out.write(bytes, 0, bytes.length);
        return this;
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    /** Bytes of a varint. */
    public static byte[] varintBytes(long value) {
        return new ProtoWriter().varint(value).toByteArray();
    }
}
