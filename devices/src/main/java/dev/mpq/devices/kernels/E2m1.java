package dev.mpq.devices.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * OCP FP4 E2M1: 1 sign, 2 exponent (bias 1), 1 mantissa bit; magnitudes 0, 0.5, 1, 1.5, 2, 3, 4, 6;
 * no NaN, no infinity. The element of fp4-e2m1, mxfp4 and nvfp4.
 */
public final class E2m1 {

    private static final float[] MAGNITUDES = {0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f};

    private E2m1() {}

    /** The value of a 4-bit code (only the low 4 bits are read); code 8 is -0. */
    public static float decode(int code) {
        float magnitude = MAGNITUDES[code & 7];
        return (code & 8) != 0 ? -magnitude : magnitude;
    }

    /**
     * Vector decode of codes held in the top four bits of each int lane (sign at bit 31): the
     * exponent and mantissa bits move to fp32's bits 23..24 and 22, the sign stays, and the
     * product with 2^126 rebiases (code 1 passes through the fp32 subnormal 2^-127 to give 0.5).
     */
    static FloatVector decodeTop(IntVector top) {
        return top.lanewise(VectorOperators.ASHR, 6)
                .lanewise(VectorOperators.AND, 0x81C00000)
                .reinterpretAsFloats()
                .mul(0x1p126f);
    }
}
