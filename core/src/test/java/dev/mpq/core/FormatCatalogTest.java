package dev.mpq.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Effective bits per weight include scales and zero points (DESIGN.md section 4, CONTRACTS.md section 3). */
class FormatCatalogTest {

    @Test
    void effectiveBitsIncludeScalesAndZeroPoints() {
        assertThat(FormatCatalog.byId("nvfp4").bitsPerWeight()).isEqualTo(4.5); // 4 + 8/16
        assertThat(FormatCatalog.byId("mxfp4").bitsPerWeight()).isEqualTo(4.25); // 4 + 8/32
        assertThat(FormatCatalog.byId("mxint8").bitsPerWeight()).isEqualTo(8.25);
        assertThat(FormatCatalog.byId("mxfp6").bitsPerWeight()).isEqualTo(6.25);
        assertThat(FormatCatalog.byId("int4-g128").bitsPerWeight()).isEqualTo(4.125); // 4 + 16/128
        assertThat(FormatCatalog.byId("int4-g32").bitsPerWeight()).isEqualTo(4.5);
        assertThat(FormatCatalog.byId("int4-g128-asym").bitsPerWeight()).isEqualTo(4 + 16.0 / 128 + 4.0 / 128);
        assertThat(FormatCatalog.byId("int8").bitsPerWeight()).isEqualTo(8);
        assertThat(FormatCatalog.byId("ternary").bitsPerWeight()).isEqualTo(1.58);
    }

    @Test
    void bopsCountElementBitsNotEffectiveBits() {
        assertThat(Precision.parse("nvfp4:nvfp4").bops(10)).isEqualTo(10 * 4 * 4);
        assertThat(Precision.parse("mxint8").bops(10)).isEqualTo(10 * 8 * 16);
        assertThat(Precision.parse("int4-g128").weightBytes(128)).isEqualTo(128 * 4.125 / 8);
    }

    @Test
    void everyContractIdIsInTheCatalogue() {
        for (int b = 2; b <= 8; b++) {
            for (String suffix :
                    new String[] {"", "-asym", "-g32", "-g64", "-g128", "-g32-asym", "-g64-asym", "-g128-asym"}) {
                assertThat(FormatCatalog.find("int" + b + suffix))
                        .as("int%d%s", b, suffix)
                        .isPresent();
            }
        }
        for (String id : new String[] {
            "fp8-e4m3",
            "fp8-e5m2",
            "fp6-e3m2",
            "fp6-e2m3",
            "fp4-e2m1",
            "mxfp8",
            "mxfp6",
            "mxfp4",
            "mxint8",
            "nvfp4",
            "ternary",
            "bf16",
            "fp16",
            "fp32"
        }) {
            assertThat(FormatCatalog.find(id)).as(id).isPresent();
        }
        assertThat(FormatCatalog.all()).hasSize(70);
        assertThatThrownBy(() -> FormatCatalog.byId("int9")).hasMessageContaining("int9");
    }
}
