package dev.mpq.devices.kernels;

import static dev.mpq.devices.kernels.Lanes.VL;
import static jdk.incubator.vector.VectorOperators.AND;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.LSHL;

import jdk.incubator.vector.IntVector;

/**
 * IEEE 754 binary16 (fp16), the scale type of the group-wise integer formats. Java 17 has no
 * {@code Float.float16ToFloat}, so both directions are written out here and tested against
 * hand-computed codes.
 */
public final class Fp16 {

    private Fp16() {}

    /** The exact fp32 value of an fp16 code (subnormals, infinities and NaN payloads included). */
    public static float toFloat(short code) {
        int bits = code & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /**
     * Decodes {@code count} codes from {@code codes[offset]} into {@code out[0..count)}, {@link
     * #VL} at a time, when none is an infinity or NaN; returns false (and leaves {@code out} partly
     * written) as soon as one is. A finite code's bits, moved into fp32's exponent and mantissa
     * fields ({@code << 13}) and multiplied by 2^112 (the exponent rebias, exact for normal and
     * subnormal codes alike), give {@link #toFloat}'s value.
     */
    static boolean toFloats(short[] codes, int offset, int count, float[] out) {
        int i = 0;
        for (; i + VL <= count; i += VL) {
            IntVector h = Lanes.widen(codes, offset + i);
            if (h.lanewise(AND, 0x7C00).compare(EQ, 0x7C00).anyTrue()) {
                return false;
            }
            IntVector bits = h.lanewise(AND, 0x8000)
                    .lanewise(LSHL, 16)
                    .or(h.lanewise(AND, 0x7FFF).lanewise(LSHL, 13));
            bits.reinterpretAsFloats().mul(0x1p112f).intoArray(out, i);
        }
        for (; i < count; i++) {
            float s = toFloat(codes[offset + i]);
            if (!Float.isFinite(s)) {
                return false;
            }
            out[i] = s;
        }
        return true;
    }

    /** The nearest fp16 code (ties to even); overflow gives infinity, NaN stays a quiet NaN. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7FFFFFFF;
        if (abs >= 0x7F800000) {
            int nan = abs > 0x7F800000 ? 0x0200 | ((abs >>> 13) & 0x3FF) : 0;
            return (short) (sign | 0x7C00 | nan);
        }
        if (abs >= 0x477FF000) { // 65520 and above round to infinity
            return (short) (sign | 0x7C00);
        }
        if (abs < 0x38800000) { // below 2^-14: an fp16 subnormal (or zero), unit 2^-24
            float magnitude = Float.intBitsToFloat(abs);
            return (short) (sign | (int) Math.rint(magnitude * 0x1p24f));
        }
        int rebased = abs - 0x38000000; // exponent bias 127 -> 15
        int roundBit = (rebased >>> 13) & 1;
        rebased += 0xFFF + roundBit;
        return (short) (sign | (rebased >>> 13));
    }
}
