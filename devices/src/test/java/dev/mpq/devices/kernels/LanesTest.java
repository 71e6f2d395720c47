package dev.mpq.devices.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LanesTest {

    @Test
    void byteShortIntAndFloatSpeciesHaveTheSameLaneCount() {
        assertThat(Lanes.VL).isIn(8, 16);
        assertThat(Lanes.F.length()).isEqualTo(Lanes.VL);
        assertThat(Lanes.I.length()).isEqualTo(Lanes.VL);
        assertThat(Lanes.B.length()).isEqualTo(Lanes.VL);
        assertThat(Lanes.S.length()).isEqualTo(Lanes.VL);
    }

    @Test
    void theForcedShapeIsHonouredWhenRequested() {
        if ("256".equals(System.getProperty("mpq.vector.bits"))) {
            assertThat(Lanes.VL).isEqualTo(8);
            assertThat(PanelGemm.MR).isEqualTo(4);
        } else {
            assertThat(Lanes.describe()).contains(Lanes.VL + " x fp32");
        }
    }
}
