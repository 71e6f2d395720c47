package dev.mpq.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactFrontEngineTest {

    private final Solver solver = new Solver();
    private final SolveOptions options = SolveOptions.defaults();

    @Test
    void frontEqualsBruteForceOnSeededRandomInstances() {
        for (long seed = 1; seed <= 300; seed++) {
            SearchProblem problem = RandomProblems.withTiesAndPins(seed);
            for (String metric : List.of("bytes", "latency")) {
                SearchProblem asked = problem.withFront(List.of(metric), 10_000);
                ParetoFront front = solver.solve(asked, "exact-front", options);
                List<double[]> expected = BruteForce.front(asked, metric);
                int r = asked.metricIndex(metric);
                int p = asked.minimizeIndex();
                assertThat(front.points()).as("seed %d, %s", seed, metric).hasSize(expected.size());
                for (int i = 0; i < expected.size(); i++) {
                    FrontPoint point = front.points().get(i);
                    assertThat(point.total(r))
                            .as("seed %d point %d", seed, i)
                            .isCloseTo(expected.get(i)[0], within(1e-9));
                    assertThat(point.total(p))
                            .as("seed %d point %d", seed, i)
                            .isCloseTo(expected.get(i)[1], within(1e-9));
                    assertThat(point.gap()).isZero();
                }
                assertThat(front.status()).isEqualTo(SolveStatus.OPTIMAL);
            }
        }
    }

    @Test
    void budgetOptimumEqualsBruteForceAtEveryBudget() {
        Random random = new Random(42);
        for (long seed = 1; seed <= 300; seed++) {
            SearchProblem base = RandomProblems.withTiesAndPins(seed);
            double budget = RandomProblems.budget(base, "latency", random);
            SearchProblem problem = base.withBudgets(Map.of("latency", budget));
            double expected = BruteForce.optimum(problem);
            ParetoFront result = solver.solve(problem, "exact-front", options);
            if (expected == Double.POSITIVE_INFINITY) {
                assertThat(result.status()).as("seed %d", seed).isEqualTo(SolveStatus.INFEASIBLE);
                assertThat(result.violations()).singleElement().satisfies(v -> {
                    assertThat(v.metric()).isEqualTo("latency");
                    assertThat(v.minimum()).isCloseTo(TieBlocks.of(problem).minTotal(2), within(1e-12));
                });
            } else {
                assertThat(result.status()).as("seed %d", seed).isEqualTo(SolveStatus.OPTIMAL);
                assertThat(result.points().get(0).total(0)).as("seed %d", seed).isCloseTo(expected, within(1e-12));
            }
        }
    }

    @Test
    void frontPointsSelectsEvenBudgetsAndDropsRepeats() {
        long seed = 1;
        while (solver.solve(RandomProblems.instance(seed).withFront(List.of("bytes"), 10_000), null, options)
                        .points()
                        .size()
                < 6) {
            seed++;
        }
        SearchProblem problem = RandomProblems.instance(seed).withFront(List.of("bytes"), 10_000);
        ParetoFront complete = solver.solve(problem, "exact-front", options);
        ParetoFront sampled = solver.solve(problem.withFront(List.of("bytes"), 3), "exact-front", options);
        assertThat(complete.points().size()).isGreaterThan(3);
        assertThat(sampled.points()).hasSizeLessThanOrEqualTo(3);
        assertThat(sampled.points().get(0).total(1))
                .isEqualTo(complete.points().get(0).total(1));
        assertThat(sampled.points().get(sampled.points().size() - 1).total(0))
                .isEqualTo(complete.points().get(complete.points().size() - 1).total(0));
    }

    @Test
    void tighteningABudgetNeverImprovesTheOptimum() {
        SearchProblem base = RandomProblems.withTiesAndPins(11);
        TieBlocks blocks = TieBlocks.of(base);
        double low = blocks.minTotal(1);
        double high = blocks.maxTotal(1);
        double previous = Double.NEGATIVE_INFINITY;
        for (int k = 20; k >= 0; k--) {
            ParetoFront result =
                    solver.solve(base.withBudgets(Map.of("bytes", low + (high - low) * k / 20)), null, options);
            double value = result.points().get(0).total(0);
            assertThat(value).isGreaterThanOrEqualTo(previous);
            previous = value;
        }
    }

    @Test
    void transitionCostsMatchBruteForceUnderOneBudget() {
        Random random = new Random(21);
        for (long seed = 1; seed <= 600; seed++) {
            SearchProblem base = RandomProblems.withTransitions(seed);
            double budget = RandomProblems.budget(base, "latency", random) + random.nextInt(30);
            SearchProblem problem = base.withBudgets(Map.of("latency", budget));
            double expected = BruteForce.optimum(problem);
            ParetoFront result = solver.solve(problem, "exact-front", options);
            if (expected == Double.POSITIVE_INFINITY) {
                assertThat(result.status()).as("seed %d", seed).isEqualTo(SolveStatus.INFEASIBLE);
                double alone = BruteForce.optimum(new SearchProblem(
                        "alone",
                        problem.metrics(),
                        problem.groups(),
                        "latency",
                        Map.of(),
                        problem.ties(),
                        problem.pins(),
                        problem.transitionCosts(),
                        List.of(),
                        10));
                assertThat(result.violations()).hasSize(1);
                assertThat(result.violations().get(0).minimum())
                        .as("seed %d", seed)
                        .isCloseTo(alone, within(1e-9 * alone));
            } else {
                assertThat(result.status()).as("seed %d", seed).isEqualTo(SolveStatus.OPTIMAL);
                assertThat(result.points().get(0).total(0))
                        .as("seed %d", seed)
                        .isCloseTo(expected, within(1e-12 * expected));
            }
        }
    }

    @Test
    void transitionCostsWithoutBudgetGiveTheSmallestObjective() {
        for (long seed = 1; seed <= 100; seed++) {
            SearchProblem problem = RandomProblems.withTransitions(seed);
            ParetoFront result = solver.solve(problem, "exact-front", options);
            assertThat(result.points().get(0).total(0))
                    .as("seed %d", seed)
                    .isCloseTo(BruteForce.optimum(problem), within(1e-12));
        }
    }

    @Test
    void transitionFrontEqualsBruteForce() {
        for (long seed = 1; seed <= 150; seed++) {
            for (String metric : List.of("bytes", "latency")) {
                SearchProblem problem = RandomProblems.withTransitions(seed).withFront(List.of(metric), 10_000);
                ParetoFront front = solver.solve(problem, "exact-front", options);
                List<double[]> expected = BruteForce.front(problem, metric);
                int r = problem.metricIndex(metric);
                assertThat(front.points()).as("seed %d, %s", seed, metric).hasSize(expected.size());
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(front.points().get(i).total(r))
                            .as("seed %d point %d", seed, i)
                            .isCloseTo(expected.get(i)[0], within(1e-9));
                    assertThat(front.points().get(i).total(0))
                            .as("seed %d point %d", seed, i)
                            .isCloseTo(expected.get(i)[1], within(1e-9));
                }
            }
        }
    }
}
