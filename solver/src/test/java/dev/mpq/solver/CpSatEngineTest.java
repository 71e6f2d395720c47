package dev.mpq.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CpSatEngineTest {

    private final Solver solver = new Solver();
    private final SolveOptions options = new SolveOptions(0, java.time.Duration.ofSeconds(20), 2);

    @Test
    void matchesBruteForceUnderOneAndTwoBudgets() {
        Random random = new Random(5);
        for (long seed = 1; seed <= 150; seed++) {
            SearchProblem base = RandomProblems.withTiesAndPins(seed);
            Map<String, Double> budgets = new LinkedHashMap<>();
            budgets.put("bytes", RandomProblems.budget(base, "bytes", random));
            if (seed % 2 == 0) {
                budgets.put("latency", RandomProblems.budget(base, "latency", random));
            }
            SearchProblem problem = base.withBudgets(budgets);
            double expected = BruteForce.optimum(problem);
            ParetoFront result = solver.solve(problem, "ilp", options);
            if (expected == Double.POSITIVE_INFINITY) {
                assertThat(result.status()).as("seed %d", seed).isEqualTo(SolveStatus.INFEASIBLE);
                assertThat(result.points()).isEmpty();
                assertThat(result.violations()).isNotEmpty();
            } else {
                assertThat(result.status()).as("seed %d", seed).isEqualTo(SolveStatus.OPTIMAL);
                assertThat(result.points().get(0).total(0)).as("seed %d", seed).isCloseTo(expected, within(1e-12));
            }
        }
    }

    @Test
    void conflictingBudgetsListEveryBudgetWithItsMinimum() {
        // a: cheap in bytes or cheap in latency, never both
        SearchProblem problem = SearchProblem.ofBudgets(
                "conflict",
                RandomProblems.METRICS,
                java.util.List.of(new Group(
                        "a",
                        java.util.List.of(
                                new Option("small", new double[] {1, 1, 10}),
                                new Option("fast", new double[] {1, 10, 1})))),
                "penalty",
                Map.of("bytes", 5.0, "latency", 5.0));
        ParetoFront result = solver.solve(problem, "ilp", options);
        assertThat(result.status()).isEqualTo(SolveStatus.INFEASIBLE);
        assertThat(result.violations())
                .hasSize(2)
                .allSatisfy(v -> assertThat(v.minimum()).isEqualTo(1.0));
        assertThat(result.message()).contains("conflict");
    }

    @Test
    void scalingEveryValueOfAMetricChangesNoChoice() {
        Random random = new Random(9);
        for (long seed = 1; seed <= 40; seed++) {
            SearchProblem base = RandomProblems.instance(seed);
            double budget = RandomProblems.budget(base, "bytes", random);
            SearchProblem problem = base.withBudgets(Map.of("bytes", budget));
            ParetoFront plain = solver.solve(problem, "ilp", options);
            double k = 1e-7;
            SearchProblem scaled = problem.withGroups(base.groups().stream()
                            .map(g -> new Group(
                                    g.name(),
                                    g.options().stream()
                                            .map(o -> new Option(
                                                    o.id(), new double[] {o.value(0), o.value(1) * k, o.value(2)}))
                                            .toList()))
                            .toList())
                    .withBudgets(Map.of("bytes", budget * k));
            ParetoFront other = solver.solve(scaled, "ilp", options);
            assertThat(other.status()).isEqualTo(plain.status());
            if (!plain.points().isEmpty()) {
                assertThat(other.points().get(0).total(0))
                        .isCloseTo(plain.points().get(0).total(0), within(1e-12));
            }
        }
    }

    /** Every point of {@code front} matches one of {@code expected} ([objective, fronts...]) and vice versa. */
    static void assertSameVectors(
            ParetoFront front, SearchProblem problem, List<String> fronts, List<double[]> expected, String as) {
        int[] metrics = new int[fronts.size() + 1];
        metrics[0] = problem.minimizeIndex();
        for (int k = 0; k < fronts.size(); k++) {
            metrics[k + 1] = problem.metricIndex(fronts.get(k));
        }
        List<double[]> got = new java.util.ArrayList<>();
        for (FrontPoint point : front.points()) {
            double[] v = new double[metrics.length];
            for (int k = 0; k < metrics.length; k++) {
                v[k] = point.total(metrics[k]);
            }
            got.add(v);
            assertThat(point.gap()).as(as).isZero();
        }
        assertThat(got).as(as + " size").hasSize(expected.size());
        for (double[] e : expected) {
            assertThat(got.stream().anyMatch(g -> BruteForce.same(g, e)))
                    .as("%s: missing %s", as, java.util.Arrays.toString(e))
                    .isTrue();
        }
    }

    @Test
    void frontOfOneMetricUnderABudgetOnAnotherEqualsBruteForce() {
        Random random = new Random(77);
        for (long seed = 1; seed <= 60; seed++) {
            SearchProblem base = RandomProblems.withTiesAndPins(seed);
            SearchProblem problem = base.withBudgets(Map.of("latency", RandomProblems.budget(base, "latency", random)))
                    .withFront(List.of("bytes"), 10_000);
            ParetoFront front = solver.solve(problem, "ilp", options);
            List<double[]> expected = BruteForce.nonDominated(problem, List.of("bytes"));
            if (expected.isEmpty()) {
                assertThat(front.status()).as("seed %d", seed).isEqualTo(SolveStatus.INFEASIBLE);
                continue;
            }
            assertSameVectors(front, problem, List.of("bytes"), expected, "seed " + seed);
            for (int i = 1; i < front.points().size(); i++) {
                assertThat(front.points().get(i).total(1))
                        .isGreaterThan(front.points().get(i - 1).total(1));
                assertThat(front.points().get(i).total(0))
                        .isLessThan(front.points().get(i - 1).total(0));
            }
        }
    }

    @Test
    void frontOverTwoMetricsEqualsTheBruteForceNonDominatedSet() {
        for (long seed = 1; seed <= 40; seed++) {
            SearchProblem problem = RandomProblems.withTiesAndPins(seed).withFront(List.of("bytes", "latency"), 10_000);
            ParetoFront front = solver.solve(problem, "ilp", options);
            assertSameVectors(
                    front,
                    problem,
                    List.of("bytes", "latency"),
                    BruteForce.nonDominated(problem, List.of("bytes", "latency")),
                    "seed " + seed);
            assertThat(front.status()).isEqualTo(SolveStatus.OPTIMAL);
        }
    }

    @Test
    void transitionCostsMatchBruteForceUnderBudgets() {
        Random random = new Random(13);
        for (long seed = 1; seed <= 80; seed++) {
            SearchProblem base = RandomProblems.withTransitions(seed);
            Map<String, Double> budgets = new LinkedHashMap<>();
            budgets.put("latency", RandomProblems.budget(base, "latency", random) + 10);
            if (seed % 3 == 0) {
                budgets.put("bytes", RandomProblems.budget(base, "bytes", random));
            }
            SearchProblem problem = base.withBudgets(budgets);
            double expected = BruteForce.optimum(problem);
            ParetoFront result = solver.solve(problem, "ilp", options);
            if (expected == Double.POSITIVE_INFINITY) {
                assertThat(result.status()).as("seed %d", seed).isEqualTo(SolveStatus.INFEASIBLE);
                for (Violation v : result.violations()) {
                    double alone = BruteForce.optimum(new SearchProblem(
                            "alone",
                            problem.metrics(),
                            problem.groups(),
                            v.metric(),
                            Map.of(),
                            problem.ties(),
                            problem.pins(),
                            problem.transitionCosts(),
                            List.of(),
                            10));
                    assertThat(v.minimum()).as("seed %d %s", seed, v.metric()).isCloseTo(alone, within(1e-9 * alone));
                }
            } else {
                assertThat(result.status()).as("seed %d", seed).isEqualTo(SolveStatus.OPTIMAL);
                assertThat(result.points().get(0).total(0))
                        .as("seed %d", seed)
                        .isCloseTo(expected, within(1e-12 * expected));
            }
        }
    }

    @Test
    void capsSpreadOverTheRangeWhenTheFrontIsLargerThanFrontPoints() {
        long seed = 1;
        SearchProblem problem;
        List<double[]> expected;
        do {
            problem = RandomProblems.instance(++seed).withFront(List.of("latency"), 10_000);
            expected = BruteForce.nonDominated(problem, List.of("latency"));
        } while (expected.size() < 8);
        ParetoFront sampled = solver.solve(problem.withFront(List.of("latency"), 4), "ilp", options);
        assertThat(sampled.points()).hasSizeBetween(2, 4);
        for (FrontPoint point : sampled.points()) {
            double[] v = {point.total(0), point.total(2)};
            assertThat(expected.stream().anyMatch(e -> BruteForce.same(e, v)))
                    .as("seed %d", seed)
                    .isTrue();
        }
    }
}
