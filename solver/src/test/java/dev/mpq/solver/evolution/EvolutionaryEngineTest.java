package dev.mpq.solver.evolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mpq.solver.Dominance;
import dev.mpq.solver.FrontPoint;
import dev.mpq.solver.Group;
import dev.mpq.solver.ParetoFront;
import dev.mpq.solver.SearchProblem;
import dev.mpq.solver.SolveOptions;
import dev.mpq.solver.Solver;
import dev.mpq.solver.TestProblems;
import dev.mpq.solver.TieBlocks;
import dev.mpq.solver.bench.BenchInstances;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EvolutionaryEngineTest {

    private final SolveOptions options = new SolveOptions(3, Duration.ofSeconds(60), 1);

    private static Solver solver(BlackBoxObjective objective, int generations) {
        return new Solver(List.of(new EvolutionaryEngine(objective, generations, 40)));
    }

    @Test
    void returnsOnlyFeasiblePointsThatNeverDominateTheExactFront() {
        Random random = new Random(4);
        for (long seed = 1; seed <= 40; seed++) {
            SearchProblem base = TestProblems.random(seed);
            SearchProblem problem = base.withBudgets(
                            Map.of("penalty", 1e9, "bytes", TestProblems.budget(base, "bytes", random) + 100))
                    .withFront(List.of("bytes", "latency"), 10_000);
            List<double[]> exact = TestProblems.bruteForceNonDominated(problem, List.of("bytes", "latency"));
            ParetoFront heuristic = solver(null, 30).solve(problem, "evolutionary", options);
            if (exact.isEmpty()) {
                assertThat(heuristic.points()).as("seed %d", seed).isEmpty();
                continue;
            }
            assertThat(heuristic.points())
                    .as("seed %d: a feasible configuration exists", seed)
                    .isNotEmpty();
            for (FrontPoint point : heuristic.points()) {
                assertThat(point.gap()).isNull();
                double[] v = {point.total(0), point.total(1), point.total(2)};
                for (double[] e : exact) {
                    boolean noWorse = v[0] <= e[0] && v[1] <= e[1] && v[2] <= e[2];
                    boolean better =
                            v[0] < e[0] * (1 - 1e-12) || v[1] < e[1] * (1 - 1e-12) || v[2] < e[2] * (1 - 1e-12);
                    assertThat(noWorse && better)
                            .as("seed %d: %s dominates the exact front", seed, point)
                            .isFalse();
                }
            }
        }
    }

    @Test
    void findsTheWholeExactFrontOfSmallInstances() {
        int complete = 0;
        for (long seed = 1; seed <= 30; seed++) {
            SearchProblem problem = TestProblems.random(seed).withFront(List.of("bytes", "latency"), 10_000);
            List<double[]> exact = TestProblems.bruteForceNonDominated(problem, List.of("bytes", "latency"));
            ParetoFront heuristic = solver(null, 60).solve(problem, "evolutionary", options);
            if (heuristic.points().size() == exact.size()) {
                complete++;
            }
        }
        assertThat(complete).as("instances whose whole front was found").isGreaterThanOrEqualTo(24);
    }

    @Test
    void reportsOnlyFeasiblePointsOnA200x6ProblemWithATightBudget() {
        SearchProblem base = BenchInstances.moe(200, 1);
        TieBlocks blocks = TieBlocks.of(base);
        double low = blocks.minTotal(1);
        double high = blocks.maxTotal(1);
        SearchProblem problem =
                base.withBudgets(Map.of("bytes", low + 0.15 * (high - low))).withFront(List.of("latency"), 10_000);
        ParetoFront front = new Solver().solve(problem, "evolutionary", new SolveOptions(1, Duration.ofSeconds(10), 2));
        assertThat(front.points()).isNotEmpty(); // the Solver has checked every one against the budget
    }

    @Test
    void blackBoxObjectiveReplacesTheMinimisedMetric() {
        SearchProblem problem = TestProblems.random(12).withFront(List.of("bytes"), 10_000);
        // a non-additive stand-in for a measured error: the square root of the sum of squared penalties
        BlackBoxObjective measured = choices -> {
            double sum = 0;
            for (int g = 0; g < choices.length; g++) {
                Group group = problem.groups().get(g);
                double p = group.options().get(choices[g]).value(0);
                sum += p * p;
            }
            return Math.sqrt(sum);
        };
        ParetoFront front = solver(measured, 40).solve(problem, "evolutionary", options);
        @SuppressWarnings("unchecked")
        List<Double> values = (List<Double>) front.stats().get("objective_values");
        assertThat(values).hasSize(front.points().size());
        for (int i = 0; i < values.size(); i++) {
            assertThat(values.get(i))
                    .isEqualTo(measured.evaluate(front.points().get(i).choices()));
        }
        for (int i = 0; i < values.size(); i++) {
            for (int j = 0; j < values.size(); j++) {
                boolean dominates = values.get(j) <= values.get(i)
                        && front.points().get(j).total(1)
                                <= front.points().get(i).total(1)
                        && (values.get(j) < values.get(i)
                                || front.points().get(j).total(1)
                                        < front.points().get(i).total(1));
                assertThat(dominates)
                        .as("point %d dominated by %d under the black box", i, j)
                        .isFalse();
            }
        }
    }

    @Test
    void reportsTheHypervolumeAgainstTheStatedReferencePoint() {
        SearchProblem problem = TestProblems.random(21).withFront(List.of("bytes", "latency"), 10_000);
        ParetoFront front = solver(null, 30).solve(problem, "evolutionary", options);
        @SuppressWarnings("unchecked")
        Map<String, Double> reference = (Map<String, Double>) front.stats().get("hypervolume_reference");
        assertThat(reference).containsOnlyKeys("penalty", "bytes", "latency");
        List<double[]> vectors = new ArrayList<>();
        for (FrontPoint point : front.points()) {
            vectors.add(new double[] {point.total(0), point.total(1), point.total(2)});
        }
        double expected = Dominance.hypervolume(
                vectors, new double[] {reference.get("penalty"), reference.get("bytes"), reference.get("latency")});
        assertThat((Double) front.stats().get("hypervolume")).isCloseTo(expected, within(1e-9 * expected));
        assertThat((Double) front.stats().get("hypervolume_normalized")).isBetween(0.0, 1.0);
    }
}
