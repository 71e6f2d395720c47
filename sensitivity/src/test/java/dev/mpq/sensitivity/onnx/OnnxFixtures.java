package dev.mpq.sensitivity.onnx;

import dev.mpq.sensitivity.format.MiniFloat;
import dev.mpq.sensitivity.weights.ProtoWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Builds small ONNX models in wire format, field by field as onnx.proto defines them. */
final class OnnxFixtures {

    private OnnxFixtures() {}

    static ProtoWriter model(ProtoWriter graph) {
        return new ProtoWriter()
                .varintField(1, 8) // ir_version
                .stringField(2, "mpq-test")
                .messageField(8, new ProtoWriter().stringField(1, "").varintField(2, 17)) // opset
                .messageField(7, graph);
    }

    static ProtoWriter node(
            String name, String op, List<String> inputs, List<String> outputs, ProtoWriter... attributes) {
        ProtoWriter n = new ProtoWriter();
        for (String i : inputs) {
            n.stringField(1, i);
        }
        for (String o : outputs) {
            n.stringField(2, o);
        }
        n.stringField(3, name).stringField(4, op);
        for (ProtoWriter a : attributes) {
            n.messageField(5, a);
        }
        return n;
    }

    static ProtoWriter intAttribute(String name, long value) {
        return new ProtoWriter().stringField(1, name).varintField(3, value).varintField(20, 2);
    }

    static ProtoWriter intsAttribute(String name, long... values) {
        ProtoWriter a = new ProtoWriter().stringField(1, name);
        for (long v : values) {
            a.varintField(8, v);
        }
        return a.varintField(20, 7);
    }

    static ProtoWriter tensorAttribute(String name, ProtoWriter tensor) {
        return new ProtoWriter().stringField(1, name).messageField(5, tensor).varintField(20, 4);
    }

    static ProtoWriter graphAttribute(String name, ProtoWriter graph) {
        return new ProtoWriter().stringField(1, name).messageField(6, graph).varintField(20, 5);
    }

    static ProtoWriter tensorHeader(String name, int dataType, long... dims) {
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.varintField(1, d);
        }
        t.varintField(2, dataType);
        if (name != null) {
            t.stringField(8, name);
        }
        return t;
    }

    static ProtoWriter rawFloat(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return tensorHeader(name, 1, dims).bytesField(9, b.array());
    }

    static ProtoWriter rawHalf(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort((short) MiniFloat.FP16.encode(v));
        }
        return tensorHeader(name, 10, dims).bytesField(9, b.array());
    }

    static ProtoWriter rawBfloat(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort((short) MiniFloat.BF16.encode(v));
        }
        return tensorHeader(name, 16, dims).bytesField(9, b.array());
    }

    static ProtoWriter rawInt8(String name, byte[] values, boolean unsigned, long... dims) {
        return tensorHeader(name, unsigned ? 2 : 3, dims).bytesField(9, values);
    }

    /** float_data, packed. */
    static ProtoWriter typedFloat(String name, float[] values, long... dims) {
        ProtoWriter packed = new ProtoWriter();
        for (float v : values) {
            int bits = Float.floatToRawIntBits(v);
            for (int i = 0; i < 4; i++) {
                packed.raw(new byte[] {(byte) (bits >>> (8 * i))});
            }
        }
        return tensorHeader(name, 1, dims).bytesField(4, packed.toByteArray());
    }

    /** int32_data, packed varints (int8/uint8 values, fp16/bf16 bit patterns). */
    static ProtoWriter typedInt32(String name, int dataType, int[] values, long... dims) {
        ProtoWriter packed = new ProtoWriter();
        for (int v : values) {
            packed.varint(v);
        }
        return tensorHeader(name, dataType, dims).bytesField(5, packed.toByteArray());
    }

    /** float_data, one field per value (unpacked: what old writers did). */
    static ProtoWriter unpackedFloat(String name, float[] values, long... dims) {
        ProtoWriter t = tensorHeader(name, 1, dims);
        for (float v : values) {
            t.fixed32Field(4, Float.floatToRawIntBits(v));
        }
        return t;
    }

    static ProtoWriter external(String name, String location, long offset, long length, long... dims) {
        return tensorHeader(name, 1, dims)
                .messageField(13, new ProtoWriter().stringField(1, "location").stringField(2, location))
                .messageField(13, new ProtoWriter().stringField(1, "offset").stringField(2, Long.toString(offset)))
                .messageField(13, new ProtoWriter().stringField(1, "length").stringField(2, Long.toString(length)))
                .varintField(14, 1);
    }

    static ProtoWriter valueInfo(String name, int elemType, long... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (long d : dims) {
            shape.messageField(1, d < 0 ? new ProtoWriter().stringField(2, "n") : new ProtoWriter().varintField(1, d));
        }
        ProtoWriter tensorType = new ProtoWriter().varintField(1, elemType).messageField(2, shape);
        return new ProtoWriter().stringField(1, name).messageField(2, new ProtoWriter().messageField(1, tensorType));
    }

    static float[] ramp(int n, float step) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 2) * step;
        }
        return v;
    }
}
