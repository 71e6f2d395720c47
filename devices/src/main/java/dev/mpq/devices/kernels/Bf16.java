package dev.mpq.devices.kernels;

/** bfloat16: the upper half of an fp32 word. */
public final class Bf16 {

    private Bf16() {}

    /** The exact fp32 value of a bf16 code. */
    public static float toFloat(short code) {
        return Float.intBitsToFloat((code & 0xFFFF) << 16);
    }

    /** The nearest bf16 code (ties to even); NaN stays a quiet NaN. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int roundBit = (bits >>> 16) & 1;
        return (short) ((bits + 0x7FFF + roundBit) >>> 16);
    }
}
