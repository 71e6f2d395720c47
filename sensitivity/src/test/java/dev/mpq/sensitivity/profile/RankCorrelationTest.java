package dev.mpq.sensitivity.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankCorrelationTest {

    @Test
    void monotoneSeriesCorrelatePerfectly() {
        assertThat(RankCorrelation.spearman(new double[] {1, 2, 3, 4}, new double[] {10, 100, 1000, 1e4}))
                .isEqualTo(1.0);
        assertThat(RankCorrelation.spearman(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}))
                .isEqualTo(-1.0);
    }

    @Test
    void tiesTakeTheirAverageRank() {
        assertThat(RankCorrelation.ranks(new double[] {5, 1, 5, 3})).containsExactly(3.5, 1, 3.5, 2);
        // hand-computed: ranks a = 1,2,3,4,5; b = 2,1,4,3,5 -> d^2 sum = 4 -> 1 - 6*4/(5*24) = 0.8
        assertThat(RankCorrelation.spearman(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 4, 3, 5}))
                .isCloseTo(0.8, within(1e-12));
    }
}
