package dev.mpq.solver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IntegerScalingTest {

    @Test
    void mapsTheLargestTotalToTheResolution() {
        IntegerScaling scaling = IntegerScaling.forMaxTotal(3.5e12);
        assertThat(scaling.round(3.5e12)).isEqualTo(IntegerScaling.RESOLUTION);
        assertThat(scaling.unscale(IntegerScaling.RESOLUTION))
                .isCloseTo(3.5e12, org.assertj.core.api.Assertions.within(1.0));
    }

    @Test
    void floorRelaxesAndCeilTightens() {
        IntegerScaling scaling = new IntegerScaling(10);
        double[] values = {0.11, 0.26, 0.33};
        double budget = 0.7; // 0.11 + 0.26 + 0.33 = 0.70 fits in doubles
        long floorSum = 0;
        long ceilSum = 0;
        for (double v : values) {
            floorSum += scaling.floor(v);
            ceilSum += scaling.ceil(v);
        }
        assertThat(floorSum).isLessThanOrEqualTo(scaling.floor(budget)); // relaxed keeps it
        assertThat(ceilSum).isGreaterThan(scaling.floor(budget)); // conservative may lose it
    }

    @Test
    void zeroMetricScalesByOne() {
        assertThat(IntegerScaling.forMaxTotal(0).factor()).isEqualTo(1.0);
    }
}
