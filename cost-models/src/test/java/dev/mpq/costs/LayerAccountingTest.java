package dev.mpq.costs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mpq.core.FormatCatalog;
import dev.mpq.core.LayerKind;
import dev.mpq.core.NumericFormat;
import dev.mpq.core.Precision;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerAccountingTest {

    private static final LayerShape SQUARE_4096 =
            new LayerShape(LayerKind.LINEAR, List.of(4096L, 4096L), 4096L * 4096, 4096L * 4096, 1);

    private static long bytes(String format) {
        return LayerAccounting.weightBytes(SQUARE_4096, FormatCatalog.byId(format));
    }

    @Test
    void groupFormatsCountPackedElementsPlusOneFp16ScalePerGroup() {
        assertThat(bytes("int4-g128")).isEqualTo(4096L * 4096 * 4 / 8 + 4096L * 32 * 2);
        assertThat(bytes("int4-g64")).isEqualTo(4096L * 4096 * 4 / 8 + 4096L * 64 * 2);
        assertThat(bytes("int4-g32")).isEqualTo(4096L * 4096 * 4 / 8 + 4096L * 128 * 2);
        assertThat(bytes("int8-g128")).isEqualTo(4096L * 4096 + 4096L * 32 * 2);
        assertThat(bytes("int3-g128")).isEqualTo(4096L * 4096 * 3 / 8 + 4096L * 32 * 2);
    }

    @Test
    void asymmetricGroupFormatsAddOnePackedZeroPointPerGroup() {
        assertThat(bytes("int4-g128-asym")).isEqualTo(4096L * 4096 * 4 / 8 + 4096L * 32 * 2 + 4096L * 32 * 4 / 8);
        assertThat(bytes("int2-g64-asym")).isEqualTo(4096L * 4096 * 2 / 8 + 4096L * 64 * 2 + 4096L * 64 * 2 / 8);
    }

    @Test
    void perChannelFormatsAddOneFp32ScalePerRowAndZeroPointsWhenAsymmetric() {
        assertThat(bytes("int8")).isEqualTo(4096L * 4096 + 4096L * 4);
        assertThat(bytes("int4")).isEqualTo(4096L * 4096 / 2 + 4096L * 4);
        assertThat(bytes("int8-asym")).isEqualTo(4096L * 4096 + 4096L * 4 + 4096L);
        assertThat(bytes("int4-asym")).isEqualTo(4096L * 4096 / 2 + 4096L * 4 + 4096L / 2);
    }

    @Test
    void oddSizesRoundPackedBitsUpToWholeBytes() {
        // 10 rows x 7: 70 three-bit elements = 210 bits -> 27 bytes; 10 fp32 scales; 10 zero points = 30 bits -> 4
        // bytes
        assertThat(LayerAccounting.weightBytes(10, 7, FormatCatalog.byId("int3")))
                .isEqualTo(27 + 40);
        assertThat(LayerAccounting.weightBytes(10, 7, FormatCatalog.byId("int3-asym")))
                .isEqualTo(27 + 40 + 4);
        // 3 rows x 40 in groups of 32: two groups per row (the last one partial)
        assertThat(LayerAccounting.weightBytes(3, 40, FormatCatalog.byId("int4-g32")))
                .isEqualTo(60 + 3 * 2 * 2);
        // MX blocks of 32 and NVFP4 blocks of 16 are also per row
        assertThat(LayerAccounting.weightBytes(3, 40, FormatCatalog.byId("mxfp4")))
                .isEqualTo(60 + 3 * 2);
        assertThat(LayerAccounting.weightBytes(3, 40, FormatCatalog.byId("nvfp4")))
                .isEqualTo(60 + 3 * 3 + 4);
    }

    @Test
    void floatFormatsCountElementsAndOneFp32ScalePerRow() {
        assertThat(bytes("fp8-e4m3")).isEqualTo(4096L * 4096 + 4096L * 4);
        assertThat(bytes("fp8-e5m2")).isEqualTo(4096L * 4096 + 4096L * 4);
        assertThat(bytes("fp6-e2m3")).isEqualTo(4096L * 4096 * 6 / 8 + 4096L * 4);
        assertThat(bytes("fp6-e3m2")).isEqualTo(4096L * 4096 * 6 / 8 + 4096L * 4);
        assertThat(bytes("fp4-e2m1")).isEqualTo(4096L * 4096 / 2 + 4096L * 4);
    }

    @Test
    void microscalingFormatsAddOneE8m0BytePerBlockOf32() {
        assertThat(bytes("mxfp8")).isEqualTo(4096L * 4096 + 4096L * 128);
        assertThat(bytes("mxint8")).isEqualTo(4096L * 4096 + 4096L * 128);
        assertThat(bytes("mxfp6")).isEqualTo(4096L * 4096 * 6 / 8 + 4096L * 128);
        assertThat(bytes("mxfp4")).isEqualTo(4096L * 4096 / 2 + 4096L * 128);
    }

    @Test
    void nvfp4AddsOneE4m3BytePerBlockOf16AndAnFp32TensorScale() {
        assertThat(bytes("nvfp4")).isEqualTo(4096L * 4096 / 2 + 4096L * 256 + 4);
    }

    @Test
    void ternaryIsStoredAsTwoBitElementsWithOneTensorScale() {
        assertThat(bytes("ternary")).isEqualTo(4096L * 4096 / 4 + 4);
    }

    @Test
    void referenceFormatsHaveNoScales() {
        assertThat(bytes("bf16")).isEqualTo(4096L * 4096 * 2);
        assertThat(bytes("fp16")).isEqualTo(4096L * 4096 * 2);
        assertThat(bytes("fp32")).isEqualTo(4096L * 4096 * 4);
    }

    @Test
    void convolutionRowsAreOutputChannelsAndRowsSpanInputTimesKernel() {
        LayerShape conv = new LayerShape(LayerKind.CONV, List.of(64L, 64L, 3L, 3L), 36864, 115605504, 1);
        assertThat(LayerAccounting.weightBytes(conv, FormatCatalog.byId("int4")))
                .isEqualTo(36864 / 2 + 64 * 4);
        // row length 576 = 4.5 groups of 128 -> 5 groups per row
        assertThat(LayerAccounting.weightBytes(conv, FormatCatalog.byId("int4-g128")))
                .isEqualTo(36864 / 2 + 64 * 5 * 2);
    }

    @Test
    void exactBytesAgreeWithTheCatalogueEffectiveBitsOnLargeMatrices() {
        for (NumericFormat format : FormatCatalog.all()) {
            double bits = 8.0 * bytes(format.id()) / (4096.0 * 4096);
            double expected = format.id().equals("ternary") ? 2.0 : format.bitsPerWeight();
            // per-row scales add 32/4096 bits (+ b/4096 for a zero point): below 0.01
            assertThat(bits).as(format.id()).isCloseTo(expected, within(0.01));
        }
    }

    @Test
    void bopsCountElementBitsNotEffectiveBits() {
        LayerShape layer = new LayerShape(LayerKind.LINEAR, List.of(10L, 10L), 100, 100, 1);
        assertThat(LayerAccounting.bops(layer, Precision.parse("int4:int4"))).isEqualTo(100 * 4 * 4);
        assertThat(LayerAccounting.bops(layer, Precision.parse("int8:int8"))).isEqualTo(100 * 8 * 8);
        assertThat(LayerAccounting.bops(layer, Precision.parse("nvfp4:nvfp4"))).isEqualTo(100 * 4 * 4);
        assertThat(LayerAccounting.bops(layer, Precision.parse("mxint8:mxint8")))
                .isEqualTo(100 * 8 * 8);
        assertThat(LayerAccounting.bops(layer, Precision.parse("int4-g128"))).isEqualTo(100 * 4 * 16);
        assertThat(LayerAccounting.bops(layer, Precision.parse("int4:int8"))).isEqualTo(100 * 4 * 8);
    }

    @Test
    void rejectsShapesWhoseElementCountDiffersFromTheParameters() {
        assertThatThrownBy(() -> new LayerShape(LayerKind.LINEAR, List.of(10L, 10L), 110, 110, 1))
                .hasMessageContaining("holds 100 elements")
                .hasMessageContaining("110 parameters");
    }
}
