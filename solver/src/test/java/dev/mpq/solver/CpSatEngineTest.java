package dev.mpq.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
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
}
