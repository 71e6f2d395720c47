package dev.mpq.devices.bench;

import dev.mpq.devices.kernels.Fp32Weights;
import dev.mpq.devices.kernels.GroupIntWeights;
import dev.mpq.devices.kernels.Int8Activations;
import dev.mpq.devices.kernels.Int8Weights;
import dev.mpq.devices.kernels.WeightMatrix;
import dev.mpq.devices.ort.OnnxGraphs;
import dev.mpq.devices.ort.OrtProduct;

/**
 * The ONNX Runtime counterpart of a Java kernel case: {@code MatMulInteger} for {@code int8:int8},
 * {@code com.microsoft.MatMulNBits} for {@code int4-g32/64/128}, {@code MatMul} for {@code fp32};
 * several sessions (each with its own copy of the weights) when batch-1 rows rotate buffers.
 */
final class OrtKernels implements AutoCloseable {

    private final OrtProduct[] sessions;
    private final String operator;
    private int next;

    private OrtKernels(OrtProduct[] sessions, String operator) {
        this.sessions = sessions;
        this.operator = operator;
    }

    static boolean supports(String format) {
        return format.equals("int8:int8") || format.equals("fp32") || format.matches("int4-g(32|64|128)");
    }

    /**
     * Sessions for {@code w}; for int8 weights {@code unsignedActivations} picks the u8 x s8 graph
     * (activations + 128 with zero point 128) instead of s8 x s8.
     */
    static OrtKernels create(
            WeightMatrix w, float[] x, int batch, int threads, int copies, boolean unsignedActivations) {
        byte[] model;
        String operator;
        if (w instanceof Int8Weights int8) {
            model = unsignedActivations
                    ? OnnxGraphs.matMulIntegerUnsignedActivations(int8)
                    : OnnxGraphs.matMulInteger(int8);
            operator = unsignedActivations
                    ? "MatMulInteger (uint8 activations + 128, zero point 128, x int8 -> int32)"
                    : "MatMulInteger (int8 x int8 -> int32)";
        } else if (w instanceof GroupIntWeights group) {
            model = OnnxGraphs.matMulNBits(group);
            operator = "com.microsoft.MatMulNBits (bits 4, block " + group.group() + ", accuracy level 0)";
        } else if (w instanceof Fp32Weights fp32) {
            model = OnnxGraphs.matMul(fp32.values(), fp32.rows(), fp32.cols());
            operator = "MatMul (fp32)";
        } else {
            throw new IllegalArgumentException("ONNX Runtime has no product graph here for " + w.formatId());
        }
        OrtProduct[] sessions = new OrtProduct[copies];
        for (int i = 0; i < copies; i++) {
            sessions[i] = OrtProduct.create(model, threads);
            if (w instanceof Int8Weights) {
                byte[] codes = Int8Activations.quantize(x, batch, w.cols()).codes();
                if (unsignedActivations) {
                    sessions[i].uint8Input(codes, batch, w.cols());
                } else {
                    sessions[i].int8Input(codes, batch, w.cols());
                }
            } else {
                sessions[i].floatInput(x, batch, w.cols());
            }
        }
        return new OrtKernels(sessions, operator);
    }

    String operator() {
        return operator;
    }

    void runNext() {
        sessions[next++ % sessions.length].run();
    }

    @Override
    public void close() {
        for (OrtProduct session : sessions) {
            session.close();
        }
    }
}
