package dev.mpq.sensitivity.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.core.FormatCatalog;
import dev.mpq.core.NumericFormat;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Hand-computed vectors for every quantizer family; matrices are rows (output channels) x cols (inputs). */
class QuantizerTest {

    private static float[] run(String formatId, int rows, int cols, float... w) {
        float[] out = new float[w.length];
        Quantizer.of(FormatCatalog.byId(formatId)).fakeQuantize(w, rows, cols, out);
        return out;
    }

    private static float[] filled(int n, float value) {
        float[] a = new float[n];
        Arrays.fill(a, value);
        return a;
    }

    // ---- INT ----

    @Test
    void symmetricPerChannelIntUsesAmaxOverQmaxAndTiesToEven() {
        // int4: qmax = 7; row amax 7 -> scale 1; -3.5 -> -4 (even), 0.5 -> 0, 1.5 -> 2
        float[] out = run("int4", 1, 5, 7f, -3.5f, 0.5f, 1.5f, -7f);
        assertThat(out).containsExactly(7f, -4f, 0f, 2f, -7f);
        // two rows get two scales: row 2 amax 14 -> scale 2; 3 -> 1.5 -> 2 -> 4
        out = run("int4", 2, 2, 7f, 1f, 14f, 3f);
        assertThat(out).containsExactly(7f, 1f, 14f, 4f);
    }

    @Test
    void int8PerChannelMatchesTheScaleRule() {
        // int8: scale = amax / 127 in fp32; 1.0 / (1/127) -> 127
        float scale = 1f / 127f;
        float[] out = run("int8", 1, 3, 1f, 0.25f, -0.003f);
        assertThat(out[0]).isEqualTo(127 * scale);
        assertThat(out[1]).isEqualTo(32 * scale); // 31.75 -> 32
        assertThat(out[2]).isEqualTo(-0f); // -0.381 -> -0
    }

    @Test
    void int2SymmetricIsMinusOneZeroOne() {
        float[] out = run("int2", 1, 4, 1f, -0.6f, 0.4f, 0.5f);
        assertThat(out).containsExactly(1f, -1f, 0f, 0f); // 0.5 is a tie -> 0
    }

    @Test
    void groupScalesAreRoundedToFp16() {
        // int4-g32: amax 1 -> 1/7 = 0.142857.. -> fp16 0.142822265625 (mantissa 146/1024 x 2^-3)
        float[] w = filled(32, 0f);
        w[0] = 1f;
        w[1] = -0.5f;
        float[] out = run("int4-g32", 1, 32, w);
        float s = 0.142822265625f;
        assertThat(out[0]).isEqualTo(7 * s); // 1 / s = 7.0017 -> 7
        assertThat(out[1]).isEqualTo(-4 * s); // -3.5009 -> -4
        assertThat(out[2]).isZero();
    }

    @Test
    void groupsRunAlongTheInputsOfEachRow() {
        // int8-g32 on 1 x 64: the second group has its own scale
        float[] w = filled(64, 0f);
        w[0] = 127f;
        w[32] = 1.27f;
        w[33] = 0.01f;
        float[] out = run("int8-g32", 1, 64, w);
        assertThat(out[0]).isEqualTo(127f);
        float s2 = 0.01000213623046875f; // fp16(1.27 / 127 = 0.01)
        assertThat(out[32]).isEqualTo(127 * s2);
        assertThat(out[33]).isEqualTo(1 * s2);
    }

    @Test
    void asymmetricGroupHasAZeroPoint() {
        // int4-g32-asym: min -1, max 2 -> scale = 3/15 = 0.2 -> fp16 0.199951171875, zero point rint(1/0.19995) = 5
        float[] w = filled(32, 0f);
        w[0] = -1f;
        w[1] = 2f;
        w[2] = 0.3f;
        float[] out = run("int4-g32-asym", 1, 32, w);
        float s = 0.199951171875f;
        assertThat(out[0]).isEqualTo(-5 * s); // rint(-5.0012) + 5 = 0
        assertThat(out[1]).isEqualTo(10 * s); // rint(10.0024) + 5 = 15
        assertThat(out[2]).isEqualTo(2 * s); // rint(1.5004) = 2
        assertThat(out[3]).isZero(); // zero is exact: the range always includes 0
    }

    @Test
    void asymmetricPerChannelRangeAlwaysIncludesZero() {
        // int8-asym on [1, 2, 3]: rmin = 0, rmax = 3, scale = 3/255, zero point 0
        float s = 3f / 255f;
        float[] out = run("int8-asym", 1, 3, 1f, 2f, 3f);
        assertThat(out).containsExactly(Math.round(1f / s) * s, Math.round(2f / s) * s, 255 * s);
    }

    @Test
    void intSaturatesWhenTheFp16ScaleRoundsDown() {
        // int8-g32: amax = 127 x 16.49 x 2^-24 -> amax / 127 lies in fp16's subnormal range and rounds down
        // to 16 x 2^-24, so amax / scale = 130.9 > 127.5: the element saturates at 127
        float[] w = filled(32, 0f);
        w[0] = 127 * 16.49f * 0x1p-24f;
        float s = 16 * 0x1p-24f;
        assertThat((float) MiniFloat.FP16.round(w[0] / 127f)).isEqualTo(s);
        assertThat(w[0] / s).isGreaterThan(127.5f);
        float[] out = run("int8-g32", 1, 32, w);
        assertThat(out[0]).isEqualTo(127 * s);
    }

    @Test
    void allZeroGroupsStayZero() {
        for (String id :
                new String[] {"int4", "int4-asym", "int4-g32", "int4-g128-asym", "fp8-e4m3", "mxfp4", "nvfp4", "ternary"
                }) {
            float[] out = run(id, 2, 64, new float[128]);
            assertThat(out).as(id).containsOnly(0f);
        }
    }

    // ---- FP8 / FP6 / FP4 per channel ----

    @Test
    void floatPerChannelMapsAmaxOntoTheLargestFiniteValue() {
        // fp4-e2m1: amax 12 -> scale 2; 5 -> 2.5 -> 2 (tie to even) -> 4; 7 -> 3.5 -> 4 -> 8
        float[] out = run("fp4-e2m1", 1, 4, 12f, 5f, 7f, -0.4f);
        assertThat(out).containsExactly(12f, 4f, 8f, -0f);
        // fp8-e4m3: amax 448 -> scale 1, values as E4M3
        out = run("fp8-e4m3", 1, 3, 448f, 1.0625f, 0x1p-10f);
        assertThat(out).containsExactly(448f, 1f, 0f);
        // fp6-e2m3: amax 7.5 -> scale 1
        out = run("fp6-e2m3", 1, 3, 7.5f, 0.0625f, 0.1875f);
        assertThat(out).containsExactly(7.5f, 0f, 0.25f);
        // fp6-e3m2: amax 28 -> scale 1
        out = run("fp6-e3m2", 1, 3, -28f, 0.09375f, 26f);
        assertThat(out).containsExactly(-28f, 0.125f, 24f);
        // fp8-e5m2: amax 57344 -> scale 1
        out = run("fp8-e5m2", 1, 2, 57344f, 1.125f);
        assertThat(out).containsExactly(57344f, 1f);
    }

    // ---- MX (OCP MX v1.0) ----

    @Test
    void mxfp4ScaleIsFloorLog2AmaxMinusElementEmax() {
        float[] w = filled(32, 0f);
        // amax 5: floor(log2 5) = 2, emax(e2m1) = 2 -> X = 1; 5 -> 4 (tie to even), 1.25 -> 1
        w[0] = 5f;
        w[1] = 1.25f;
        w[2] = -0.26f;
        float[] out = run("mxfp4", 1, 32, w);
        assertThat(out[0]).isEqualTo(4f);
        assertThat(out[1]).isEqualTo(1f);
        assertThat(out[2]).isEqualTo(-0.5f);
        // amax 7.9: X = 1; 7.9 saturates to 6 (the spec's scale can clip the largest element)
        w[0] = 7.9f;
        assertThat(run("mxfp4", 1, 32, w)[0]).isEqualTo(6f);
        // amax 0.9: floor(log2 0.9) = -1 -> X = 2^-3; 0.9 / X = 7.2 -> 6 -> 0.75
        w[0] = 0.9f;
        w[1] = 0.1f; // 0.8 -> 1 -> 0.125
        w[2] = 0;
        out = run("mxfp4", 1, 32, w);
        assertThat(out[0]).isEqualTo(0.75f);
        assertThat(out[1]).isEqualTo(0.125f);
    }

    @Test
    void mxScaleRulesOfEachElementType() {
        float[] w = filled(32, 0f);
        w[0] = 1f; // mxfp8 (e4m3, emax 8): X = 2^-8, 1 -> 256 exactly
        w[1] = 0.0041f; // 0.0041 * 256 = 1.0496 -> 1 -> 2^-8
        float[] out = run("mxfp8", 1, 32, w);
        assertThat(out[0]).isEqualTo(1f);
        assertThat(out[1]).isEqualTo(0x1p-8f);
        // mxfp6 (e2m3, emax 2): amax 3 -> floor(log2 3) = 1 -> X = 2^-1; 3 / X = 6 -> 6 -> 3; 0.3 -> 0.6 -> 0.625 ->
        // 0.3125
        w[0] = 3f;
        w[1] = 0.3f;
        out = run("mxfp6", 1, 32, w);
        assertThat(out[0]).isEqualTo(3f);
        assertThat(out[1]).isEqualTo(0.3125f);
        // mxint8 (k/64, emax 0): amax 1.5 -> X = 1; 0.01 * 64 = 0.64 -> 1 -> 1/64
        w[0] = 1.5f;
        w[1] = 0.01f;
        out = run("mxint8", 1, 32, w);
        assertThat(out[0]).isEqualTo(1.5f);
        assertThat(out[1]).isEqualTo(0.015625f);
        // mxint8 saturation: amax 1.999 -> X = 1, 127.9 -> 127 -> 1.984375
        w[0] = 1.999f;
        assertThat(run("mxint8", 1, 32, w)[0]).isEqualTo(1.984375f);
    }

    @Test
    void mxBlocksAreIndependentAndTheE8M0ExponentIsClamped() {
        float[] w = filled(64, 0f);
        w[0] = 4f; // block 0: X = 1
        w[1] = 0.3f; // -> 0.5
        w[32] = 0x1p-140f; // block 1: floor(log2) - 2 = -142 -> clamped to 2^-127, element 2^-13 -> 0
        float[] out = run("mxfp4", 1, 64, w);
        assertThat(out[0]).isEqualTo(4f);
        assertThat(out[1]).isEqualTo(0.5f);
        assertThat(out[32]).isZero();
        assertThat(MxQuantizer.sharedExponent(0x1p-140, MiniFloat.E2M1)).isEqualTo(-127);
        assertThat(MxQuantizer.sharedExponent(0x1p127 * 1.5, MiniFloat.E2M1)).isEqualTo(125);
        assertThat(MxQuantizer.sharedExponent(Float.MAX_VALUE, MiniFloat.E4M3)).isEqualTo(119);
    }

    // ---- NVFP4 ----

    @Test
    void nvfp4UsesE4M3BlockScalesUnderAnFp32TensorScale() {
        float[] w = filled(32, 0f);
        // tensor amax 2688 = 6 * 448 -> tensor scale 1
        w[0] = 2688f; // block 0: amax / 6 / 1 = 448 -> e4m3 448; element 6
        w[1] = 1000f; // 1000 / 448 = 2.23 -> 2 -> 896
        // block 1 (elements 16..31): amax 1.8 -> 0.3 -> e4m3 0.3125; 1.8 / 0.3125 = 5.76 -> 6 -> 1.875
        w[16] = 1.8f;
        w[17] = 0.5f; // 1.6 -> 1.5 -> 0.46875
        float[] out = run("nvfp4", 1, 32, w);
        assertThat(out[0]).isEqualTo(2688f);
        assertThat(out[1]).isEqualTo(896f);
        assertThat(out[16]).isEqualTo(1.875f);
        assertThat(out[17]).isEqualTo(0.46875f);
        assertThat(Nvfp4Quantizer.tensorScale(2688f)).isEqualTo(1f);
        assertThat(Nvfp4Quantizer.tensorScale(6f)).isEqualTo(6f / 2688f);
    }

    @Test
    void nvfp4BlockOfZerosNextToLargeValues() {
        float[] w = filled(32, 0f);
        w[20] = -3f;
        float[] out = run("nvfp4", 1, 32, w);
        // tensor scale 3/2688, block scale 448 -> effective 0.5; -3 / 0.5 = -6
        assertThat(out[20]).isEqualTo(-3f);
        assertThat(Arrays.copyOfRange(out, 0, 16)).containsOnly(0f);
    }

    // ---- ternary, references ----

    @Test
    void ternaryUsesTheAbsmeanScale() {
        // mean |w| = 4.2 / 6 = 0.7; w / 0.7 = 1.43, -2.86, 0.29, 0.86, -0.57, 0 -> 1, -1, 0, 1, -1, 0
        float[] out = run("ternary", 1, 6, 1f, -2f, 0.2f, 0.6f, -0.4f, 0f);
        float g = (float) ((1.0 + 2.0 + (double) 0.2f + (double) 0.6f + (double) 0.4f) / 6.0);
        assertThat(out).containsExactly(g, -g, 0f, g, -g, 0f);
    }

    @Test
    void referenceFormatsRoundElementwise() {
        assertThat(run("bf16", 1, 2, 1 + 0x1p-8f, 1 + 3 * 0x1p-8f)).containsExactly(1f, 1 + 0x1p-6f);
        assertThat(run("fp16", 1, 2, 65520f, 0x1p-25f)).containsExactly(65504f, 0f);
        assertThat(run("fp32", 1, 2, 0.1f, -3f)).containsExactly(0.1f, -3f);
    }

    // ---- non-finite inputs ----

    @Test
    void nanOrInfinityPoisonsTheBlockThatSharesItsScale() {
        float[] w = filled(64, 0.5f);
        w[3] = Float.NaN;
        w[40] = Float.POSITIVE_INFINITY;
        for (String id : new String[] {"int4-g32", "int4-g32-asym", "mxfp4", "mxint8"}) {
            float[] out = run(id, 1, 64, w);
            assertThat(Arrays.copyOfRange(out, 0, 32)).as(id).containsOnly(Float.NaN);
            assertThat(Arrays.copyOfRange(out, 32, 64)).as(id).containsOnly(Float.NaN);
        }
        float[] two = new float[128];
        Arrays.fill(two, 0.5f);
        two[3] = Float.NaN;
        for (String id : new String[] {"int8", "int8-asym", "fp8-e4m3", "fp4-e2m1"}) {
            float[] out = run(id, 2, 64, two);
            assertThat(Arrays.copyOfRange(out, 0, 64)).as(id).containsOnly(Float.NaN);
            assertThat(Arrays.copyOfRange(out, 64, 128)).as(id).doesNotContain(Float.NaN);
        }
        // tensor-scaled formats: the whole tensor
        assertThat(run("nvfp4", 2, 64, two)).containsOnly(Float.NaN);
        assertThat(run("ternary", 2, 64, two)).containsOnly(Float.NaN);
        // element-wise references: NaN stays NaN, infinity saturates
        assertThat(run("bf16", 1, 3, Float.NaN, Float.NEGATIVE_INFINITY, 1f))
                .containsExactly(Float.NaN, -(float) MiniFloat.BF16.maxFinite(), 1f);
        assertThat(run("fp16", 1, 2, Float.POSITIVE_INFINITY, 2f)).containsExactly(65504f, 2f);
    }

    // ---- properties over every catalogue format ----

    @Test
    void everyCatalogueFormatHasAQuantizerThatIsIdempotentOnRandomWeights() {
        java.util.Random random = new java.util.Random(3);
        int rows = 3;
        int cols = 160; // not a multiple of 128: the last group is partial
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * 0.05);
        }
        for (NumericFormat format : FormatCatalog.all()) {
            Quantizer q = Quantizer.of(format);
            float[] once = new float[w.length];
            q.fakeQuantize(w, rows, cols, once);
            float[] twice = new float[w.length];
            q.fakeQuantize(once, rows, cols, twice);
            double err = 0;
            double norm = 0;
            for (int i = 0; i < w.length; i++) {
                err += (once[i] - w[i]) * (double) (once[i] - w[i]);
                norm += w[i] * (double) w[i];
                assertThat(Float.isFinite(once[i])).as(format.id()).isTrue();
            }
            assertThat(err / norm).as("relative error of %s", format.id()).isLessThan(1.0);
            // tensor-scaled and asymmetric schemes recompute their range from the quantized values, so only the
            // others are idempotent
            if (format.family() != NumericFormat.Family.TERNARY
                    && format.family() != NumericFormat.Family.NVFP4
                    && !format.asymmetric()) {
                for (int i = 0; i < w.length; i++) {
                    assertThat(twice[i])
                            .as("idempotence of %s at %d", format.id(), i)
                            .isCloseTo(once[i], org.assertj.core.api.Assertions.within(1e-6f * Math.abs(once[i])));
                }
            }
        }
    }

    @Test
    void moreBitsNeverIncreaseTheErrorOnRandomWeights() {
        java.util.Random random = new java.util.Random(5);
        float[] w = new float[8 * 256];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        double previous = Double.MAX_VALUE;
        for (int b = 2; b <= 8; b++) {
            double err = Quantizer.of(FormatCatalog.byId("int" + b + "-g32")).squaredError(w, 8, 256);
            assertThat(err).as("int%d-g32", b).isLessThan(previous);
            previous = err;
        }
    }
}
