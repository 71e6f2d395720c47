package dev.mpq.costs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NelderMeadTest {

    @Test
    void findsTheMinimumOfRosenbrocksValley() {
        NelderMead.Result result = NelderMead.minimize(
                x -> 100 * Math.pow(x[1] - x[0] * x[0], 2) + Math.pow(1 - x[0], 2),
                new double[] {-1.2, 1},
                0.5,
                1e-20,
                10_000);
        assertThat(result.point()[0]).isCloseTo(1, within(1e-4));
        assertThat(result.point()[1]).isCloseTo(1, within(1e-4));
    }

    @Test
    void findsTheKinkOfAMaxFunction() {
        NelderMead.Result result = NelderMead.minimize(
                x -> Math.max(Math.abs(x[0] - 3), Math.abs(x[1] + 2)) + 0.01 * (x[0] - 3) * (x[0] - 3),
                new double[] {0, 0},
                1,
                1e-16,
                10_000);
        assertThat(result.point()[0]).isCloseTo(3, within(1e-4));
        assertThat(result.point()[1]).isCloseTo(-2, within(1e-4));
    }
}
