package dev.mpq.devices.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ElementCodesTest {

    private static int bits(float f) {
        return Float.floatToRawIntBits(f);
    }

    @Test
    void fp16DecodesHandComputedCodes() {
        assertThat(Fp16.toFloat((short) 0x3C00)).isEqualTo(1f);
        assertThat(Fp16.toFloat((short) 0xC000)).isEqualTo(-2f);
        assertThat(Fp16.toFloat((short) 0x7BFF)).isEqualTo(65504f);
        assertThat(Fp16.toFloat((short) 0x0400)).isEqualTo(0x1p-14f);
        assertThat(Fp16.toFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Fp16.toFloat((short) 0x03FF)).isEqualTo(1023 * 0x1p-24f);
        assertThat(Fp16.toFloat((short) 0x3555)).isEqualTo(0x1.554p-2f);
        assertThat(Fp16.toFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Fp16.toFloat((short) 0xFC00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Fp16.toFloat((short) 0x7E00)).isNaN();
        assertThat(bits(Fp16.toFloat((short) 0x8000))).isEqualTo(bits(-0f));
    }

    @Test
    void fp16VectorDecodeEqualsScalarDecodeOnEveryFiniteCodeAndRefusesInfinitiesAndNan() {
        short[] finite = new short[65536];
        int n = 0;
        for (int code = 0; code < 65536; code++) {
            if ((code & 0x7C00) != 0x7C00) {
                finite[n++] = (short) code;
            }
        }
        for (int offset : new int[] {0, 3}) {
            int count = n - offset - 5; // not a multiple of the vector width
            float[] out = new float[count];
            assertThat(Fp16.toFloats(finite, offset, count, out)).isTrue();
            for (int i = 0; i < count; i++) {
                assertThat(bits(out[i]))
                        .as("code %04x", finite[offset + i] & 0xFFFF)
                        .isEqualTo(bits(Fp16.toFloat(finite[offset + i])));
            }
        }
        for (short special : new short[] {0x7C00, (short) 0xFC00, 0x7E00, 0x7C01, (short) 0xFFFF}) {
            for (int at : new int[] {0, 7, 15, 16, 31, 32, 40}) {
                short[] codes = new short[41];
                java.util.Arrays.fill(codes, (short) 0x3C00);
                codes[at] = special;
                assertThat(Fp16.toFloats(codes, 0, codes.length, new float[codes.length]))
                        .as("code %04x at %d", special & 0xFFFF, at)
                        .isFalse();
            }
        }
    }

    @Test
    void fp16EncodeInvertsDecodeOnEveryNonNanCode() {
        for (int code = 0; code < 65536; code++) {
            float value = Fp16.toFloat((short) code);
            if (!Float.isNaN(value)) {
                assertThat(Fp16.fromFloat(value) & 0xFFFF).as("code %04x", code).isEqualTo(code);
            }
        }
    }

    @Test
    void fp16EncodeRoundsHalfToEvenAndOverflowsToInfinity() {
        assertThat(Fp16.fromFloat(1f + 0x1p-11f)).isEqualTo((short) 0x3C00); // tie, even stays
        assertThat(Fp16.fromFloat(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3C02); // tie, rounds up to even
        assertThat(Fp16.fromFloat(65519f)).isEqualTo((short) 0x7BFF);
        assertThat(Fp16.fromFloat(65520f)).isEqualTo((short) 0x7C00);
        assertThat(Fp16.fromFloat(0x1p-25f)).isEqualTo((short) 0x0000); // tie between 0 and 2^-24
        assertThat(Fp16.fromFloat(0x1.8p-24f)).isEqualTo((short) 0x0002); // 1.5 units: tie to even 2
        assertThat(Fp16.fromFloat(0x1.ffcp-15f)).isEqualTo((short) 0x0400); // rounds up into the normals
        assertThat(Fp16.fromFloat(Float.NaN) & 0x7E00).isEqualTo(0x7E00);
    }

    @Test
    void bf16KeepsTheUpperHalfAndRoundsHalfToEven() {
        assertThat(Bf16.toFloat((short) 0x3F80)).isEqualTo(1f);
        assertThat(Bf16.toFloat((short) 0x0001)).isEqualTo(Float.intBitsToFloat(0x00010000));
        assertThat(Bf16.fromFloat(Float.intBitsToFloat(0x3F808000))).isEqualTo((short) 0x3F80);
        assertThat(Bf16.fromFloat(Float.intBitsToFloat(0x3F818000))).isEqualTo((short) 0x3F82);
        assertThat(Bf16.fromFloat(Float.intBitsToFloat(0x3F808001))).isEqualTo((short) 0x3F81);
        assertThat(Bf16.fromFloat(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7F80);
        assertThat(Bf16.toFloat(Bf16.fromFloat(Float.NaN))).isNaN();
    }

    @Test
    void e4m3DecodesHandComputedCodes() {
        assertThat(E4m3.decode(0x00)).isEqualTo(0f);
        assertThat(bits(E4m3.decode(0x80))).isEqualTo(bits(-0f));
        assertThat(E4m3.decode(0x01)).isEqualTo(0x1p-9f);
        assertThat(E4m3.decode(0x07)).isEqualTo(7 * 0x1p-9f);
        assertThat(E4m3.decode(0x08)).isEqualTo(0x1p-6f);
        assertThat(E4m3.decode(0x38)).isEqualTo(1f);
        assertThat(E4m3.decode(0x3C)).isEqualTo(1.5f);
        assertThat(E4m3.decode(0x7E)).isEqualTo(448f);
        assertThat(E4m3.decode(0xFE)).isEqualTo(-448f);
        assertThat(E4m3.decode(0x77)).isEqualTo(240f);
        assertThat(E4m3.decode(0x7F)).isNaN();
        assertThat(E4m3.decode(0xFF)).isNaN();
    }

    @Test
    void e2m1DecodesAllSixteenCodes() {
        float[] expected = {0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f, -0f, -0.5f, -1f, -1.5f, -2f, -3f, -4f, -6f};
        for (int code = 0; code < 16; code++) {
            assertThat(bits(E2m1.decode(code))).as("code %d", code).isEqualTo(bits(expected[code]));
        }
    }

    @Test
    void e8m0DecodesPowersOfTwoAndNan() {
        assertThat(E8m0.decode(127)).isEqualTo(1f);
        assertThat(E8m0.decode(128)).isEqualTo(2f);
        assertThat(E8m0.decode(120)).isEqualTo(0x1p-7f);
        assertThat(E8m0.decode(254)).isEqualTo(0x1p127f);
        assertThat(E8m0.decode(1)).isEqualTo(0x1p-126f);
        assertThat(E8m0.decode(0)).isEqualTo(0x1p-127f);
        assertThat(E8m0.decode(255)).isNaN();
    }
}
