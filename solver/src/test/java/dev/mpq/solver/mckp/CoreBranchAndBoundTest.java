package dev.mpq.solver.mckp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CoreBranchAndBoundTest {

    /** Blocks x candidates with penalties over orders of magnitude, some repeated values, some ties. */
    static MultipleChoiceKnapsack random(long seed, int blocks, int maxCandidates) {
        Random random = new Random(seed);
        double[][] p = new double[blocks][];
        double[][] r = new double[blocks][];
        for (int b = 0; b < blocks; b++) {
            int k = 1 + random.nextInt(maxCandidates);
            p[b] = new double[k];
            r[b] = new double[k];
            double size = 1 + random.nextInt(50);
            for (int j = 0; j < k; j++) {
                p[b][j] = random.nextInt(5) == 0 ? 1.0 : size * Math.pow(10, -3 * random.nextDouble());
                r[b][j] = random.nextInt(6) == 0 ? 2.0 : size * (1 + random.nextInt(8)) * (0.5 + random.nextDouble());
            }
        }
        return MultipleChoiceKnapsack.of(p, r);
    }

    /** The exact optimum at a budget from the complete front (itself checked against brute force). */
    static double optimumFromFront(ParetoMerge.Front front, double budget) {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < front.size(); i++) {
            if (front.resource(i) <= budget * (1 + 1e-12)) {
                best = Math.min(best, front.objective(i));
            }
        }
        return best;
    }

    static double bruteForce(MultipleChoiceKnapsack k, double budget) {
        int n = k.blockCount();
        int[] c = new int[n];
        double best = Double.POSITIVE_INFINITY;
        while (true) {
            if (k.resourceOf(c) <= budget * (1 + 1e-12)) {
                best = Math.min(best, k.objectiveOf(c));
            }
            int b = 0;
            while (b < n && ++c[b] == k.candidateCount(b)) {
                c[b] = 0;
                b++;
            }
            if (b == n) {
                return best;
            }
        }
    }

    @Test
    void matchesBruteForceAtEveryBudgetOnSmallInstances() {
        for (long seed = 1; seed <= 400; seed++) {
            MultipleChoiceKnapsack k = random(seed, 1 + (int) (seed % 8), 3);
            CoreBranchAndBound search = new CoreBranchAndBound(new LpRelaxation(k), 1_000_000);
            Random random = new Random(seed);
            double low = k.minResource();
            double high = k.resourceOf(k.minObjectiveConfiguration());
            for (int t = 0; t < 12; t++) {
                double budget = low + (high - low) * (random.nextDouble() * 1.2 - 0.1);
                double expected = bruteForce(k, budget);
                CoreBranchAndBound.Solution solution = search.solve(budget);
                if (expected == Double.POSITIVE_INFINITY) {
                    assertThat(solution.candidates())
                            .as("seed %d budget %s", seed, budget)
                            .isNull();
                } else {
                    assertThat(solution.objective())
                            .as("seed %d budget %s", seed, budget)
                            .isCloseTo(expected, within(1e-12 * expected + 1e-300));
                    assertThat(solution.resource()).as("seed %d", seed).isLessThanOrEqualTo(budget * (1 + 1e-12));
                    assertThat(solution.gap()).isZero();
                }
            }
        }
    }

    @Test
    void matchesTheCompleteFrontOnMediumInstances() {
        for (long seed = 1; seed <= 60; seed++) {
            MultipleChoiceKnapsack k = random(seed, 40, 5);
            ParetoMerge.Front front = ParetoMerge.front(k, Double.POSITIVE_INFINITY, 10_000_000, 100_000_000L);
            CoreBranchAndBound search = new CoreBranchAndBound(new LpRelaxation(k), 1_000_000);
            double low = front.resource(0);
            double high = front.resource(front.size() - 1);
            for (int t = 0; t <= 50; t++) {
                double budget = low + (high - low) * t / 50;
                CoreBranchAndBound.Solution solution = search.solve(budget);
                double expected = optimumFromFront(front, budget);
                assertThat(solution.objective())
                        .as("seed %d budget %d", seed, t)
                        .isCloseTo(expected, within(1e-12 * expected));
                assertThat(solution.gap()).as("seed %d", seed).isZero();
            }
            // every front point is reached exactly at its own resource
            for (int i = 0; i < front.size(); i += Math.max(1, front.size() / 40)) {
                CoreBranchAndBound.Solution solution = search.solve(front.resource(i));
                assertThat(solution.objective())
                        .as("seed %d front point %d", seed, i)
                        .isCloseTo(front.objective(i), within(1e-12 * front.objective(i)));
                assertThat(solution.resource())
                        .as("seed %d front point %d", seed, i)
                        .isCloseTo(front.resource(i), within(1e-9 * front.resource(i)));
            }
        }
    }

    @Test
    void lpBoundNeverExceedsTheOptimumAndGreedyIsFeasible() {
        for (long seed = 1; seed <= 100; seed++) {
            MultipleChoiceKnapsack k = random(seed, 30, 6);
            LpRelaxation lp = new LpRelaxation(k);
            CoreBranchAndBound search = new CoreBranchAndBound(lp, 1_000_000);
            double low = k.minResource();
            double high = lp.saturation();
            for (int t = 0; t <= 20; t++) {
                double budget = low + (high - low) * t / 20;
                double optimum = search.solve(budget).objective();
                assertThat(lp.bound(budget)).as("seed %d", seed).isLessThanOrEqualTo(optimum * (1 + 1e-12));
                int[] greedy = lp.greedy(budget);
                assertThat(k.resourceOf(greedy)).isLessThanOrEqualTo(budget * (1 + 1e-12));
                assertThat(k.objectiveOf(greedy)).isGreaterThanOrEqualTo(optimum * (1 - 1e-12));
            }
        }
    }

    /** Blocks that share their resource values (multiples of 0.375 x 1024): totals lie on a lattice. */
    static MultipleChoiceKnapsack lattice(long seed, int blocks) {
        Random random = new Random(seed);
        double[] bits = {2.125, 3.125, 4.125, 4.5, 6.125, 8};
        double[][] p = new double[blocks][];
        double[][] r = new double[blocks][];
        for (int b = 0; b < blocks; b++) {
            int k = 2 + random.nextInt(5);
            double size = random.nextInt(4) == 0 ? 2048 : 1024;
            double sensitivity = Math.pow(10, 4 * random.nextDouble());
            p[b] = new double[k];
            r[b] = new double[k];
            for (int j = 0; j < k; j++) {
                p[b][j] = sensitivity * Math.pow(4, -bits[j]) * (0.8 + 0.4 * random.nextDouble());
                r[b][j] = size * bits[j] / 8;
            }
        }
        return MultipleChoiceKnapsack.of(p, r);
    }

    @Test
    void findsTheGrainOfDyadicResources() {
        assertThat(MultipleChoiceKnapsack.grain(new double[] {0, 6, 9, 15})).isEqualTo(3.0);
        assertThat(MultipleChoiceKnapsack.grain(new double[] {0, 0.75, 1.5})).isEqualTo(0.75);
        assertThat(MultipleChoiceKnapsack.grain(new double[] {0, 0.1, 0.3})).isZero();
        assertThat(MultipleChoiceKnapsack.grain(new double[] {0, 0})).isZero();
        assertThat(lattice(1, 30).grain()).isPositive();
    }

    @Test
    void matchesTheCompleteFrontWhenTotalsLieOnALattice() {
        for (long seed = 1; seed <= 40; seed++) {
            MultipleChoiceKnapsack k = lattice(seed, 60);
            ParetoMerge.Front front = ParetoMerge.front(k, Double.POSITIVE_INFINITY, 10_000_000, 100_000_000L);
            CoreBranchAndBound search = new CoreBranchAndBound(new LpRelaxation(k), 1_000_000);
            double low = front.resource(0);
            double high = front.resource(front.size() - 1);
            Random random = new Random(seed);
            for (int t = 0; t <= 60; t++) {
                double budget = t % 3 == 0
                        ? front.resource(random.nextInt(front.size()))
                        : low + (high - low) * random.nextDouble();
                CoreBranchAndBound.Solution solution = search.solve(budget);
                double expected = optimumFromFront(front, budget);
                assertThat(solution.objective())
                        .as("seed %d budget %s", seed, budget)
                        .isCloseTo(expected, within(1e-12 * expected));
                assertThat(solution.resource()).isLessThanOrEqualTo(budget);
                assertThat(solution.gap()).isZero();
            }
        }
    }

    @Test
    void reportsAProvenGapWhenTheStateLimitIsHit() {
        MultipleChoiceKnapsack k = random(3, 200, 6);
        LpRelaxation lp = new LpRelaxation(k);
        double budget = (k.minResource() + lp.saturation()) / 2;
        CoreBranchAndBound.Solution exact = new CoreBranchAndBound(lp, 10_000_000).solve(budget);
        CoreBranchAndBound.Solution limited = new CoreBranchAndBound(lp, 2).solve(budget);
        assertThat(exact.gap()).isZero();
        assertThat(limited.objective()).isGreaterThanOrEqualTo(exact.objective() * (1 - 1e-12));
        assertThat(limited.lowerBound()).isLessThanOrEqualTo(exact.objective() * (1 + 1e-12));
        assertThat(limited.gap())
                .isCloseTo((limited.objective() - limited.lowerBound()) / limited.objective(), within(1e-12));
    }
}
