package dev.mpq.devices.kernels;

/** OCP MX v1.0 E8M0 scale: 2^(code - 127) for codes 0..254, NaN for 255; 2^-127 is an fp32 subnormal. */
public final class E8m0 {

    private E8m0() {}

    public static float decode(int code) {
        int e = code & 0xFF;
        if (e == 0xFF) {
            return Float.NaN;
        }
        if (e == 0) {
            return Float.intBitsToFloat(0x00400000);
        }
        return Float.intBitsToFloat(e << 23);
    }
}
