package dev.mpq.sensitivity.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Hand-computed vectors for the element formats (OCP FP8 / MX v1.0 element tables, IEEE 754 half, bfloat16). */
class MiniFloatTest {

    private static final double[] E2M1_POSITIVE = {0, 0.5, 1, 1.5, 2, 3, 4, 6};

    private static final double[] E3M2_POSITIVE = {
        0, 0.0625, 0.125, 0.1875, // subnormals: m/4 * 2^-2
        0.25, 0.3125, 0.375, 0.4375, 0.5, 0.625, 0.75, 0.875, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 5, 6, 7, 8, 10, 12,
        14, 16, 20, 24, 28
    };

    private static final double[] E2M3_POSITIVE = {
        0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, // subnormals: m/8 * 2^0
        1, 1.125, 1.25, 1.375, 1.5, 1.625, 1.75, 1.875, 2, 2.25, 2.5, 2.75, 3, 3.25, 3.5, 3.75, 4, 4.5, 5, 5.5, 6, 6.5,
        7, 7.5
    };

    @Test
    void decodesEveryE2M1Code() {
        assertEveryCode(MiniFloat.E2M1, E2M1_POSITIVE);
    }

    @Test
    void decodesEveryE3M2Code() {
        assertEveryCode(MiniFloat.E3M2, E3M2_POSITIVE);
    }

    @Test
    void decodesEveryE2M3Code() {
        assertEveryCode(MiniFloat.E2M3, E2M3_POSITIVE);
    }

    private static void assertEveryCode(MiniFloat format, double[] positive) {
        int half = positive.length;
        assertThat(format.codeCount()).isEqualTo(2 * half);
        for (int code = 0; code < half; code++) {
            assertThat(format.decode(code))
                    .as("%s code %d", format.name(), code)
                    .isEqualTo(positive[code]);
            assertThat(format.decode(code | half))
                    .as("%s code %d", format.name(), code | half)
                    .isEqualTo(-positive[code]);
            // every representable value rounds to itself and encodes back to its code
            assertThat(format.round(positive[code])).isEqualTo(positive[code]);
            assertThat(format.encode(positive[code])).isEqualTo(code);
            assertThat(format.encode(-positive[code])).isEqualTo(code | half);
        }
        assertThat(format.maxFinite()).isEqualTo(positive[half - 1]);
    }

    @Test
    void largestFiniteValuesAndElementEmax() {
        assertThat(MiniFloat.E4M3.maxFinite()).isEqualTo(448.0);
        assertThat(MiniFloat.E5M2.maxFinite()).isEqualTo(57344.0);
        assertThat(MiniFloat.E3M2.maxFinite()).isEqualTo(28.0);
        assertThat(MiniFloat.E2M3.maxFinite()).isEqualTo(7.5);
        assertThat(MiniFloat.E2M1.maxFinite()).isEqualTo(6.0);
        assertThat(MiniFloat.FP16.maxFinite()).isEqualTo(65504.0);
        assertThat(MiniFloat.BF16.maxFinite()).isEqualTo((double) Float.intBitsToFloat(0x7f7f0000));
        assertThat(MiniFloat.E4M3.emax()).isEqualTo(8);
        assertThat(MiniFloat.E5M2.emax()).isEqualTo(15);
        assertThat(MiniFloat.E3M2.emax()).isEqualTo(4);
        assertThat(MiniFloat.E2M3.emax()).isEqualTo(2);
        assertThat(MiniFloat.E2M1.emax()).isEqualTo(2);
    }

    @Test
    void roundsTiesToEven() {
        // E2M1: 2.5 lies between 2 (mantissa 0) and 3 (mantissa 1)
        assertThat(MiniFloat.E2M1.round(2.5)).isEqualTo(2.0);
        assertThat(MiniFloat.E2M1.round(5.0)).isEqualTo(4.0);
        assertThat(MiniFloat.E2M1.round(3.5)).isEqualTo(4.0);
        assertThat(MiniFloat.E2M1.round(0.25)).isEqualTo(0.0);
        assertThat(MiniFloat.E2M1.round(0.75)).isEqualTo(1.0);
        assertThat(MiniFloat.E2M1.round(1.25)).isEqualTo(1.0);
        assertThat(MiniFloat.E2M1.round(1.75)).isEqualTo(2.0);
        assertThat(MiniFloat.E2M1.round(-2.5)).isEqualTo(-2.0);
        assertThat(MiniFloat.E2M1.round(2.5000001)).isEqualTo(3.0);
        // E4M3: 1 + 1/16 lies between 1 and 1.125
        assertThat(MiniFloat.E4M3.round(1.0625)).isEqualTo(1.0);
        assertThat(MiniFloat.E4M3.round(1.1875)).isEqualTo(1.25);
        // FP16 and BF16 at 1
        assertThat(MiniFloat.FP16.round(1 + 0x1p-11)).isEqualTo(1.0);
        assertThat(MiniFloat.FP16.round(1 + 3 * 0x1p-11)).isEqualTo(1 + 0x1p-9);
        assertThat(MiniFloat.BF16.round(1 + 0x1p-8)).isEqualTo(1.0);
        assertThat(MiniFloat.BF16.round(1 + 3 * 0x1p-8)).isEqualTo(1 + 0x1p-6);
    }

    @Test
    void saturatesJustAboveTheLargestFiniteValue() {
        assertThat(MiniFloat.E2M1.round(6.0001)).isEqualTo(6.0);
        assertThat(MiniFloat.E2M1.round(7.0)).isEqualTo(6.0);
        assertThat(MiniFloat.E2M1.round(-1e30)).isEqualTo(-6.0);
        assertThat(MiniFloat.E4M3.round(449)).isEqualTo(448.0);
        assertThat(MiniFloat.E4M3.round(464)).isEqualTo(448.0); // the tie to a non-existent 480
        assertThat(MiniFloat.E4M3.round(1e6)).isEqualTo(448.0);
        assertThat(MiniFloat.E5M2.round(61440)).isEqualTo(57344.0);
        assertThat(MiniFloat.E3M2.round(29.9)).isEqualTo(28.0);
        assertThat(MiniFloat.E2M3.round(7.75)).isEqualTo(7.5);
        assertThat(MiniFloat.FP16.round(65520)).isEqualTo(65504.0); // IEEE would give infinity; we saturate
        assertThat(MiniFloat.BF16.round(Float.MAX_VALUE)).isEqualTo(MiniFloat.BF16.maxFinite());
    }

    @Test
    void keepsSignedZeros() {
        for (MiniFloat f : MiniFloat.ALL) {
            assertThat(f.round(0.0)).isEqualTo(0.0);
            assertThat(Double.doubleToRawLongBits(f.round(-0.0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
            assertThat(f.encode(0.0)).isZero();
            assertThat(f.encode(-0.0)).isEqualTo(1 << (f.exponentBits() + f.mantissaBits()));
        }
    }

    @Test
    void roundsSubnormals() {
        // E4M3: smallest subnormal 2^-9, smallest normal 2^-6, largest subnormal 7 * 2^-9
        assertThat(MiniFloat.E4M3.decode(0x01)).isEqualTo(0x1p-9);
        assertThat(MiniFloat.E4M3.decode(0x07)).isEqualTo(7 * 0x1p-9);
        assertThat(MiniFloat.E4M3.decode(0x08)).isEqualTo(0x1p-6);
        assertThat(MiniFloat.E4M3.round(0x1p-10)).isEqualTo(0.0); // tie between 0 and 2^-9
        assertThat(MiniFloat.E4M3.round(3 * 0x1p-10)).isEqualTo(0x1p-8); // tie between 1 and 2 (x 2^-9)
        assertThat(MiniFloat.E4M3.round(0x1p-12)).isEqualTo(0.0);
        // E5M2: smallest subnormal 2^-16
        assertThat(MiniFloat.E5M2.decode(0x01)).isEqualTo(0x1p-16);
        assertThat(MiniFloat.E5M2.round(0.75 * 0x1p-16)).isEqualTo(0x1p-16);
        // FP16: smallest subnormal 2^-24, BF16: 2^-133
        assertThat(MiniFloat.FP16.decode(0x0001)).isEqualTo(0x1p-24);
        assertThat(MiniFloat.FP16.round(0x1p-25)).isEqualTo(0.0);
        assertThat(MiniFloat.BF16.decode(0x0001)).isEqualTo(0x1p-133);
        // E2M1: the only subnormal is 0.5
        assertThat(MiniFloat.E2M1.round(0.2)).isEqualTo(0.0);
        assertThat(MiniFloat.E2M1.round(0.3)).isEqualTo(0.5);
    }

    @Test
    void nanAndInfinityInputs() {
        // formats with a NaN code keep NaN; infinities saturate (satfinite conversion)
        assertThat(MiniFloat.E4M3.round(Double.NaN)).isNaN();
        assertThat(MiniFloat.E4M3.encode(Double.NaN)).isEqualTo(0x7f);
        assertThat(MiniFloat.E4M3.decode(0x7f)).isNaN();
        assertThat(MiniFloat.E4M3.decode(0xff)).isNaN();
        assertThat(MiniFloat.E4M3.decode(0x7e)).isEqualTo(448.0);
        assertThat(MiniFloat.E4M3.round(Double.POSITIVE_INFINITY)).isEqualTo(448.0);
        assertThat(MiniFloat.E4M3.round(Double.NEGATIVE_INFINITY)).isEqualTo(-448.0);
        assertThat(MiniFloat.E5M2.decode(0x7c)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(MiniFloat.E5M2.decode(0xfc)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(MiniFloat.E5M2.decode(0x7d)).isNaN();
        assertThat(MiniFloat.E5M2.round(Double.POSITIVE_INFINITY)).isEqualTo(57344.0);
        assertThat(MiniFloat.E5M2.encode(Double.NaN)).isEqualTo(0x7e);
        assertThat(MiniFloat.FP16.round(Double.NEGATIVE_INFINITY)).isEqualTo(-65504.0);
        assertThat(MiniFloat.FP16.encode(Double.NaN)).isEqualTo(0x7e00);
        assertThat(MiniFloat.BF16.encode(Double.NaN)).isEqualTo(0x7fc0);
        // formats without NaN or infinity (FP6, FP4): infinities saturate, NaN has no code
        assertThat(MiniFloat.E2M1.round(Double.POSITIVE_INFINITY)).isEqualTo(6.0);
        assertThat(MiniFloat.E3M2.round(Double.NEGATIVE_INFINITY)).isEqualTo(-28.0);
        assertThat(MiniFloat.E2M1.round(Double.NaN)).isNaN();
        assertThatThrownBy(() -> MiniFloat.E2M1.encode(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no NaN");
    }

    @Test
    void agreesWithBitPatternRoundingOfBfloat16OnRandomFloats() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 100_000; i++) {
            float x = Float.intBitsToFloat(random.nextInt());
            int bits = Float.floatToRawIntBits(x);
            int rounded = (bits + 0x7fff + ((bits >>> 16) & 1)) & 0xffff0000;
            float bf = Float.intBitsToFloat(rounded);
            if (Float.isNaN(x) || Float.isInfinite(bf)) {
                continue;
            }
            assertThat(MiniFloat.BF16.round(x)).as("bf16 of %s", x).isEqualTo((double) bf);
        }
    }

    @Test
    void agreesWithBruteForceNearestEvenFp16OnRandomFloats() {
        double[] codes = new double[0x7c00];
        for (int code = 0; code < codes.length; code++) {
            codes[code] = MiniFloat.FP16.decode(code);
        }
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 3000; i++) {
            double x = (random.nextDouble() * 2 - 1) * Math.pow(2, random.nextInt(42) - 26);
            float f = (float) x;
            double a = Math.abs(f);
            int best = 0;
            for (int code = 1; code < codes.length; code++) {
                double dBest = Math.abs(codes[best] - a);
                double d = Math.abs(codes[code] - a);
                if (d < dBest || (d == dBest && (code & 1) == 0)) {
                    best = code;
                }
            }
            double expected = a > 65504 ? 65504 : codes[best];
            assertThat(MiniFloat.FP16.round(f)).as("fp16 of %s", f).isEqualTo(Math.copySign(expected, f));
        }
    }
}
