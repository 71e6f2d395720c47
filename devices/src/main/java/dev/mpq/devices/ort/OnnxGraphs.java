package dev.mpq.devices.ort;

import dev.mpq.devices.kernels.GroupIntWeights;
import dev.mpq.devices.kernels.Int8Weights;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Single-node ONNX models built in code, in the protobuf wire format (onnx.proto field numbers),
 * each computing {@code Y[M, N] = A[M, K] x W^T} for a weight matrix {@code W[N, K]} held as an
 * initializer: {@code MatMulInteger} (int8 x int8 -> int32), {@code com.microsoft.MatMulNBits}
 * (4-bit blocks, fp32 activations) and {@code MatMul} (fp32). The batch M is a symbolic dimension.
 */
public final class OnnxGraphs {

    /** TensorProto.DataType values. */
    static final int FLOAT = 1;

    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int INT32 = 6;

    private OnnxGraphs() {}

    /** {@code Y = MatMulInteger(A, B)} with int8 A [M, K], int8 B [K, N] = the weight codes transposed. */
    public static byte[] matMulInteger(Int8Weights w) {
        return matMulInteger(w, false);
    }

    /**
     * {@code Y = MatMulInteger(A, B, a_zero_point)} with uint8 A [M, K] holding the int8
     * activation codes plus 128 and {@code a_zero_point = 128}: the same int32 sums, through ONNX
     * Runtime's u8 x s8 path (the one its dynamic quantization uses).
     */
    public static byte[] matMulIntegerUnsignedActivations(Int8Weights w) {
        return matMulInteger(w, true);
    }

    private static byte[] matMulInteger(Int8Weights w, boolean unsignedActivations) {
        int n = w.rows();
        int k = w.cols();
        byte[] b = new byte[k * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < k; c++) {
                b[c * n + r] = (byte) w.code(r, c);
            }
        }
        ProtoWriter node = node(
                "MatMulInteger",
                "",
                unsignedActivations ? new String[] {"A", "B", "a_zero_point"} : new String[] {"A", "B"},
                "Y");
        ProtoWriter graph = new ProtoWriter()
                .message(1, node)
                .string(2, "matmul_integer")
                .message(5, tensor("B", INT8, new long[] {k, n}, b));
        if (unsignedActivations) {
            graph.message(5, tensor("a_zero_point", UINT8, new long[0], new byte[] {(byte) 128}));
        }
        graph.message(11, valueInfo("A", unsignedActivations ? UINT8 : INT8, -1, k))
                .message(12, valueInfo("Y", INT32, -1, n));
        return model(graph, false);
    }

    /**
     * {@code Y = com.microsoft.MatMulNBits(A, B, scales)}: 4-bit, block size = the weights' group,
     * no zero points (so the default 8: u = code + 8), fp32 scales (the fp16 scales widened
     * exactly), accuracy level 0 (fp32 compute). B is {@code [N, blocks, group / 2]} with element
     * 2i of a block in the low nibble of byte i and element 2i + 1 in the high nibble.
     */
    public static byte[] matMulNBits(GroupIntWeights w) {
        if (w.bits() != 4) {
            throw new IllegalArgumentException(
                    "MatMulNBits is built here for 4-bit weights; %s has %d bits.".formatted(w.formatId(), w.bits()));
        }
        int n = w.rows();
        int k = w.cols();
        int group = w.group();
        int blocks = (k + group - 1) / group;
        int blob = group / 2;
        byte[] b = new byte[n * blocks * blob];
        ByteBuffer scales = ByteBuffer.allocate(4 * n * blocks).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < n; r++) {
            for (int g = 0; g < blocks; g++) {
                scales.putFloat(w.scale(r, g));
                for (int i = 0; i < group; i++) {
                    int c = g * group + i;
                    int u = c < k ? w.code(r, c) + 8 : 8;
                    int index = (r * blocks + g) * blob + i / 2;
                    b[index] |= (byte) (i % 2 == 0 ? u : u << 4);
                }
            }
        }
        ProtoWriter node = node("MatMulNBits", "com.microsoft", new String[] {"A", "B", "scales"}, "Y")
                .message(5, intAttribute("K", k))
                .message(5, intAttribute("N", n))
                .message(5, intAttribute("bits", 4))
                .message(5, intAttribute("block_size", group))
                .message(5, intAttribute("accuracy_level", 0));
        ProtoWriter graph = new ProtoWriter()
                .message(1, node)
                .string(2, "matmul_nbits")
                .message(5, tensor("B", UINT8, new long[] {n, blocks, blob}, b))
                .message(5, tensor("scales", FLOAT, new long[] {(long) n * blocks}, scales.array()))
                .message(11, valueInfo("A", FLOAT, -1, k))
                .message(12, valueInfo("Y", FLOAT, -1, n));
        return model(graph, true);
    }

    /** {@code Y = MatMul(A, B)} with fp32 B [K, N] = the weights transposed. */
    public static byte[] matMul(float[] rowMajorWeights, int n, int k) {
        ByteBuffer b = ByteBuffer.allocate(4 * n * k).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < k; c++) {
            for (int r = 0; r < n; r++) {
                b.putFloat(rowMajorWeights[r * k + c]);
            }
        }
        ProtoWriter node = node("MatMul", "", new String[] {"A", "B"}, "Y");
        ProtoWriter graph = new ProtoWriter()
                .message(1, node)
                .string(2, "matmul")
                .message(5, tensor("B", FLOAT, new long[] {k, n}, b.array()))
                .message(11, valueInfo("A", FLOAT, -1, k))
                .message(12, valueInfo("Y", FLOAT, -1, n));
        return model(graph, false);
    }

    private static byte[] model(ProtoWriter graph, boolean microsoftDomain) {
        ProtoWriter model = new ProtoWriter()
                .varint(1, 8) // ir_version
                .string(2, "mpq-devices")
                .message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, 17));
        if (microsoftDomain) {
            model.message(8, new ProtoWriter().string(1, "com.microsoft").varint(2, 1));
        }
        return model.toByteArray();
    }

    private static ProtoWriter node(String opType, String domain, String[] inputs, String output) {
        ProtoWriter node = new ProtoWriter();
        for (String input : inputs) {
            node.string(1, input);
        }
        node.string(2, output).string(3, opType.toLowerCase() + "_0").string(4, opType);
        if (!domain.isEmpty()) {
            node.string(7, domain);
        }
        return node;
    }

    private static ProtoWriter intAttribute(String name, long value) {
        return new ProtoWriter().string(1, name).varint(3, value).varint(20, 2); // type INT
    }

    private static ProtoWriter tensor(String name, int dataType, long[] dims, byte[] raw) {
        ProtoWriter tensor = new ProtoWriter();
        for (long d : dims) {
            tensor.varint(1, d);
        }
        return tensor.varint(2, dataType).string(8, name).bytes(9, raw);
    }

    /** A 2-D tensor value; a negative dimension is the symbolic batch "M". */
    private static ProtoWriter valueInfo(String name, int elemType, long rows, long cols) {
        ProtoWriter shape = new ProtoWriter()
                .message(1, rows < 0 ? new ProtoWriter().string(2, "M") : new ProtoWriter().varint(1, rows))
                .message(1, new ProtoWriter().varint(1, cols));
        ProtoWriter tensorType = new ProtoWriter().varint(1, elemType).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }
}
