package dev.mpq.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The default engine choice ("the best exact engine") for every problem shape of CONTRACTS.md section 4. */
class SolverTest {

    private final Solver solver = new Solver();
    private final SolveOptions options = new SolveOptions(0, Duration.ofSeconds(30), 2);

    private record Shape(
            String name, String engine, Map<String, Double> budgets, List<String> front, boolean transitions) {}

    private static List<Shape> shapes(SearchProblem base, Random random) {
        double bytes = TestProblems.budget(base, "bytes", random);
        double latency = TestProblems.budget(base, "latency", random) + 20;
        return List.of(
                new Shape("no budget", "exact-front", Map.of(), List.of(), false),
                new Shape("one budget", "exact-front", Map.of("bytes", bytes), List.of(), false),
                new Shape("two budgets", "ilp", budgets(bytes, latency), List.of(), false),
                new Shape("front", "exact-front", Map.of(), List.of("bytes"), false),
                new Shape("front with its budget", "exact-front", Map.of("bytes", bytes), List.of("bytes"), false),
                new Shape("front with another budget", "ilp", Map.of("latency", latency), List.of("bytes"), false),
                new Shape("two fronts", "ilp", Map.of(), List.of("bytes", "latency"), false),
                new Shape("transitions, one budget", "exact-front", Map.of("latency", latency), List.of(), true),
                new Shape("transitions, front", "exact-front", Map.of(), List.of("latency"), true),
                new Shape("transitions, two budgets", "ilp", budgets(bytes, latency), List.of(), true));
    }

    private static Map<String, Double> budgets(double bytes, double latency) {
        Map<String, Double> budgets = new LinkedHashMap<>();
        budgets.put("bytes", bytes);
        budgets.put("latency", latency);
        return budgets;
    }

    @Test
    void defaultEngineIsExactForEveryShapeAndMatchesBruteForce() {
        Random random = new Random(2);
        for (long seed = 1; seed <= 40; seed++) {
            for (Shape shape : shapes(TestProblems.random(seed), random)) {
                SearchProblem base =
                        shape.transitions() ? TestProblems.randomWithTransitions(seed) : TestProblems.random(seed);
                SearchProblem problem = base.withBudgets(shape.budgets()).withFront(shape.front(), 10_000);
                ParetoFront result = solver.solve(problem, null, options);
                String as = "seed %d, %s".formatted(seed, shape.name());
                if (shape.front().isEmpty()) {
                    double expected = BruteForce.optimum(problem);
                    if (expected == Double.POSITIVE_INFINITY) {
                        assertThat(result.status()).as(as).isEqualTo(SolveStatus.INFEASIBLE);
                        assertThat(result.violations()).as(as).isNotEmpty();
                        continue;
                    }
                    assertThat(result.points()).as(as).hasSize(1);
                    assertThat(result.points().get(0).total(0)).as(as).isCloseTo(expected, within(1e-12 * expected));
                } else {
                    List<double[]> expected = BruteForce.nonDominated(problem, shape.front());
                    if (expected.isEmpty()) {
                        assertThat(result.status()).as(as).isEqualTo(SolveStatus.INFEASIBLE);
                        continue;
                    }
                    assertThat(result.points()).as(as).hasSize(expected.size());
                }
                assertThat(result.status()).as(as).isEqualTo(SolveStatus.OPTIMAL);
                assertThat(result.stats().get("engine")).as(as).isEqualTo(shape.engine());
            }
        }
    }

    @Test
    void budgetsUnreachableAloneListTheirSmallestReachableValue() {
        SearchProblem base = TestProblems.random(3);
        TieBlocks blocks = TieBlocks.of(base);
        double bytesMin = blocks.minTotal(1);
        double latencyMin = blocks.minTotal(2);
        Map<String, Double> budgets = new LinkedHashMap<>();
        budgets.put("bytes", bytesMin * 0.5);
        budgets.put("latency", latencyMin * 2 + 1000);
        ParetoFront result = solver.solve(base.withBudgets(budgets), null, options);
        assertThat(result.status()).isEqualTo(SolveStatus.INFEASIBLE);
        assertThat(result.points()).isEmpty();
        assertThat(result.violations()).singleElement().satisfies(v -> {
            assertThat(v.metric()).isEqualTo("bytes");
            assertThat(v.budget()).isEqualTo(bytesMin * 0.5);
            assertThat(v.minimum()).isCloseTo(bytesMin, within(1e-12 * bytesMin));
        });
        assertThat(result.message()).contains("bytes");
    }

    @Test
    void namedEngineThatCannotSolveTheShapeIsInvalidInput() {
        SearchProblem problem = TestProblems.random(4).withFront(List.of("bytes", "latency"), 10);
        assertThatThrownBy(() -> solver.solve(problem, "exact-front", options))
                .isInstanceOf(InvalidProblemException.class)
                .extracting(e -> ((InvalidProblemException) e).field())
                .isEqualTo("engine");
        assertThatThrownBy(() -> solver.solve(problem, "simplex", options))
                .isInstanceOf(InvalidProblemException.class)
                .hasMessageContaining("exact-front");
    }

    @Test
    void everyEngineIsListed() {
        assertThat(solver.engineNames())
                .containsExactly("exact-front", "ilp", "bounds", "local-search", "evolutionary");
    }
}
