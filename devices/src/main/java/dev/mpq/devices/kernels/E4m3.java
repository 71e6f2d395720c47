package dev.mpq.devices.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * OCP FP8 E4M3 ("FN"): 1 sign, 4 exponent (bias 7), 3 mantissa bits; no infinities, S.1111.111 is
 * NaN, largest finite 448, smallest subnormal 2^-9. Used as fp8-e4m3 weights and as the NVFP4
 * block scale.
 */
public final class E4m3 {

    /** The value of each of the 256 codes. */
    private static final float[] VALUES = buildTable();

    private E4m3() {}

    private static float[] buildTable() {
        float[] table = new float[256];
        for (int code = 0; code < 256; code++) {
            int exponent = (code >>> 3) & 0xF;
            int mantissa = code & 7;
            float magnitude;
            if (exponent == 0xF && mantissa == 7) {
                table[code] = Float.NaN; // one canonical NaN for both NaN codes, as the vector decode gives
                continue;
            } else if (exponent == 0) {
                magnitude = mantissa * 0x1p-9f;
            } else {
                magnitude = (8 + mantissa) * Math.scalb(1f, exponent - 7 - 3);
            }
            table[code] = (code & 0x80) != 0 ? -magnitude : magnitude;
        }
        return table;
    }

    /** The value of a code 0..255 (only the low 8 bits are read). */
    public static float decode(int code) {
        return VALUES[code & 0xFF];
    }

    /** True for the two NaN codes 0x7F and 0xFF. */
    public static boolean isNaN(int code) {
        return (code & 0x7F) == 0x7F;
    }

    /**
     * Vector decode of codes held in the low byte of each int lane (higher bits ignored): shift
     * the code to the top byte, move exponent and mantissa to fp32's bits 23..26 and 20..22 with
     * the sign in place, rebias by a product with 2^120 (subnormal codes pass through fp32
     * subnormals), then put NaN where the code is S.1111.111.
     */
    static FloatVector decodeLow(IntVector codes) {
        FloatVector value = codes.lanewise(VectorOperators.LSHL, 24)
                .lanewise(VectorOperators.ASHR, 4)
                .lanewise(VectorOperators.AND, 0x87F00000)
                .reinterpretAsFloats()
                .mul(0x1p120f);
        VectorMask<Integer> nan = codes.lanewise(VectorOperators.AND, 0x7F).compare(VectorOperators.EQ, 0x7F);
        return value.blend(Float.NaN, nan.cast(value.species()));
    }
}
