package dev.mpq.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DominanceTest {

    @Test
    void hypervolumeOfTwoPointsInTheSquare() {
        // (1,3) and (2,1) below reference (4,4): [1,4]x[3,4] (3) + [2,4]x[1,4] (6) - [2,4]x[3,4] (2) = 7
        double volume = Dominance.hypervolume(List.of(new double[] {1, 3}, new double[] {2, 1}), new double[] {4, 4});
        assertThat(volume).isCloseTo(7, within(1e-12));
    }

    @Test
    void hypervolumeInThreeDimensionsByInclusionExclusion() {
        double[] a = {1, 2, 3};
        double[] b = {2, 1, 2};
        double[] r = {4, 4, 4};
        double boxA = 3 * 2 * 1;
        double boxB = 2 * 3 * 2;
        double both = 2 * 2 * 1; // [2,4]x[2,4]x[3,4]
        assertThat(Dominance.hypervolume(List.of(a, b), r)).isCloseTo(boxA + boxB - both, within(1e-12));
    }

    @Test
    void pointsOutsideTheReferenceAddNothing() {
        assertThat(Dominance.hypervolume(List.of(new double[] {5, 1}), new double[] {4, 4}))
                .isZero();
        assertThat(Dominance.hypervolume(List.of(), new double[] {4, 4})).isZero();
    }

    @Test
    void sortedFrontKeepsOnlyStrictImprovements() {
        FrontPoint a = new FrontPoint(new int[] {0}, new double[] {5, 1}, 0.0);
        FrontPoint b = new FrontPoint(new int[] {1}, new double[] {5, 2}, 0.0);
        FrontPoint c = new FrontPoint(new int[] {2}, new double[] {3, 2}, 0.0);
        FrontPoint d = new FrontPoint(new int[] {3}, new double[] {4, 3}, 0.0);
        assertThat(Dominance.sortedFront(List.of(d, c, b, a), 0, 1)).containsExactly(a, c);
    }
}
