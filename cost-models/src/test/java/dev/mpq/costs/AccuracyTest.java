package dev.mpq.costs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AccuracyTest {

    @Test
    void mapeIsTheMeanRelativeError() {
        assertThat(Accuracy.mape(new double[] {1.1, 1.8, 3}, new double[] {1, 2, 3}))
                .isCloseTo((0.1 + 0.1) / 3, within(1e-12));
        assertThat(Accuracy.maxRelativeError(new double[] {1.1, 1.8, 3}, new double[] {1, 2, 3}))
                .isCloseTo(0.1, within(1e-12));
    }

    @Test
    void spearmanIsOneForAnyMonotoneRelation() {
        assertThat(Accuracy.spearman(new double[] {1, 2, 3, 4}, new double[] {1, 8, 27, 64}))
                .isEqualTo(1.0);
        assertThat(Accuracy.spearman(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}))
                .isEqualTo(-1.0);
    }

    @Test
    void spearmanAveragesTiedRanks() {
        assertThat(Accuracy.ranks(new double[] {10, 20, 20, 5})).containsExactly(2, 3.5, 3.5, 1);
        // hand-computed: ranks x = 1,2,3,4,5; y = 2,1,4,3,5 -> d^2 sum 4 -> 1 - 6 x 4 / (5 x 24) = 0.8
        assertThat(Accuracy.spearman(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 4, 3, 5}))
                .isCloseTo(0.8, within(1e-12));
        assertThat(Accuracy.spearman(new double[] {1, 1, 1}, new double[] {1, 2, 3}))
                .isNaN();
    }
}
