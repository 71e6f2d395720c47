package dev.mpq.solver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.solver.bench.BenchInstances;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BoundsEngineTest {

    private final Solver solver = new Solver();
    private final SolveOptions options = SolveOptions.defaults();

    /** The lower bound a point proves: value x (1 - gap). */
    private static double proven(FrontPoint point, int objective) {
        return point.total(objective) * (1 - point.gap());
    }

    @Test
    void repairIsFeasibleAndBoundIsBelowTheOptimumUnderOneAndTwoBudgets() {
        Random random = new Random(8);
        for (long seed = 1; seed <= 200; seed++) {
            SearchProblem base = RandomProblems.withTiesAndPins(seed);
            Map<String, Double> budgets = new LinkedHashMap<>();
            budgets.put("bytes", RandomProblems.budget(base, "bytes", random));
            if (seed % 2 == 0) {
                budgets.put("latency", RandomProblems.budget(base, "latency", random));
            }
            SearchProblem problem = base.withBudgets(budgets);
            double optimum = BruteForce.optimum(problem);
            ParetoFront result = solver.solve(problem, "bounds", options);
            if (optimum == Double.POSITIVE_INFINITY) {
                assertThat(result.status()).as("seed %d", seed).isEqualTo(SolveStatus.INFEASIBLE);
                continue;
            }
            assertThat(result.points())
                    .as("seed %d: a feasible configuration exists", seed)
                    .hasSize(1);
            FrontPoint point = result.points().get(0);
            assertThat(point.total(0)).as("seed %d", seed).isGreaterThanOrEqualTo(optimum * (1 - 1e-12));
            assertThat(proven(point, 0)).as("seed %d", seed).isLessThanOrEqualTo(optimum * (1 + 1e-9));
        }
    }

    @Test
    void heuristicFrontNeverDominatesTheExactFront() {
        for (long seed = 1; seed <= 150; seed++) {
            SearchProblem problem = RandomProblems.withTiesAndPins(seed).withFront(List.of("bytes"), 25);
            ParetoFront exact = solver.solve(problem.withFront(List.of("bytes"), 10_000), "exact-front", options);
            ParetoFront heuristic = solver.solve(problem, "bounds", options);
            for (FrontPoint h : heuristic.points()) {
                for (FrontPoint e : exact.points()) {
                    assertThat(Dominance.dominates(h.totals(), e.totals(), new int[] {0, 1}))
                            .as("seed %d: %s dominates exact %s", seed, h, e)
                            .isFalse();
                }
                // its proven bound is below the exact optimum at its own resource
                double optimumThere = exact.points().stream()
                        .filter(e -> e.total(1) <= h.total(1) * (1 + 1e-12))
                        .mapToDouble(e -> e.total(0))
                        .min()
                        .orElseThrow();
                assertThat(proven(h, 0)).as("seed %d", seed).isLessThanOrEqualTo(optimumThere * (1 + 1e-9));
            }
        }
    }

    @Test
    void twoFrontMetricsGiveFeasibleNonDominatedPointsWithValidBounds() {
        for (long seed = 1; seed <= 40; seed++) {
            SearchProblem problem = RandomProblems.withTiesAndPins(seed).withFront(List.of("bytes", "latency"), 16);
            ParetoFront heuristic = solver.solve(problem, "bounds", options);
            List<double[]> exact = BruteForce.nonDominated(problem, List.of("bytes", "latency"));
            for (FrontPoint h : heuristic.points()) {
                double[] v = {h.total(0), h.total(1), h.total(2)};
                for (double[] e : exact) {
                    boolean dominatesExact = v[0] <= e[0]
                            && v[1] <= e[1]
                            && v[2] <= e[2]
                            && (v[0] < e[0] * (1 - 1e-12) || v[1] < e[1] * (1 - 1e-12) || v[2] < e[2] * (1 - 1e-12));
                    assertThat(dominatesExact).as("seed %d", seed).isFalse();
                }
            }
        }
    }

    @Test
    void provesASmallGapOnTheLlmInstanceAtEveryBudgetPoint() {
        SearchProblem problem = BenchInstances.llm560x10(200);
        ParetoFront front = solver.solve(problem, "bounds", options);
        assertThat(front.points()).hasSizeGreaterThan(100);
        // gaps are proofs, so they may be large near the smallest budgets; most points are tight
        long tight = front.points().stream().filter(p -> p.gap() < 1e-3).count();
        assertThat(tight).isGreaterThan(front.points().size() * 8 / 10);
    }
}
