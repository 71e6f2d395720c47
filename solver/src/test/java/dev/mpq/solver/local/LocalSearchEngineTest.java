package dev.mpq.solver.local;

import static org.assertj.core.api.Assertions.assertThat;

import ai.timefold.solver.core.config.solver.EnvironmentMode;
import dev.mpq.solver.FrontPoint;
import dev.mpq.solver.ParetoFront;
import dev.mpq.solver.SearchProblem;
import dev.mpq.solver.SolveOptions;
import dev.mpq.solver.SolveStatus;
import dev.mpq.solver.Solver;
import dev.mpq.solver.TestProblems;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LocalSearchEngineTest {

    private final SolveOptions options = new SolveOptions(7, Duration.ofSeconds(30), 1);

    private static Solver solver(long moves, EnvironmentMode mode) {
        return new Solver(List.of(new LocalSearchEngine(moves, mode)));
    }

    @Test
    void incrementalScoreMatchesAFullRecalculationAfterEveryMove() {
        // FULL_ASSERT recomputes the score from scratch after every move and fails on any difference
        Solver checked = solver(3_000, EnvironmentMode.FULL_ASSERT);
        Random random = new Random(3);
        for (long seed = 1; seed <= 25; seed++) {
            SearchProblem base = TestProblems.randomWithTransitions(seed);
            Map<String, Double> budgets = new LinkedHashMap<>();
            budgets.put("latency", TestProblems.budget(base, "latency", random) + 20);
            budgets.put("bytes", TestProblems.budget(base, "bytes", random) + 50);
            ParetoFront front = checked.solve(base.withBudgets(budgets), "local-search", options);
            assertThat(front.status()).as("seed %d", seed).isNotEqualTo(SolveStatus.INFEASIBLE);
        }
    }

    @Test
    void returnsFeasiblePointsNeverBetterThanTheExactOptimum() {
        Solver local = solver(20_000, EnvironmentMode.NO_ASSERT);
        Solver exact = new Solver();
        Random random = new Random(11);
        int optimal = 0;
        int solved = 0;
        for (long seed = 1; seed <= 60; seed++) {
            SearchProblem base = TestProblems.randomWithTransitions(seed);
            SearchProblem problem =
                    base.withBudgets(Map.of("latency", TestProblems.budget(base, "latency", random) + 25));
            ParetoFront reference = exact.solve(problem, null, options);
            ParetoFront heuristic = local.solve(problem, "local-search", options);
            if (reference.status() == SolveStatus.INFEASIBLE) {
                assertThat(heuristic.points()).as("seed %d", seed).isEmpty();
                continue;
            }
            solved++;
            // the Solver has checked feasibility; a heuristic point carries no proof
            FrontPoint point = heuristic.points().get(0);
            assertThat(point.gap()).isNull();
            double best = reference.points().get(0).total(0);
            assertThat(point.total(0)).as("seed %d", seed).isGreaterThanOrEqualTo(best * (1 - 1e-12));
            if (point.total(0) <= best * (1 + 1e-9)) {
                optimal++;
            }
        }
        assertThat(optimal).as("small instances solved to optimality").isGreaterThanOrEqualTo(solved * 9 / 10);
    }

    @Test
    void sameSeedGivesTheSameAnswer() {
        SearchProblem base = TestProblems.randomWithTransitions(5);
        SearchProblem problem =
                base.withBudgets(Map.of("latency", TestProblems.budget(base, "latency", new Random(1)) + 30));
        Solver local = solver(5_000, EnvironmentMode.NO_ASSERT);
        ParetoFront first = local.solve(problem, "local-search", options);
        ParetoFront second = local.solve(problem, "local-search", options);
        assertThat(first.points()).isEqualTo(second.points());
    }
}
