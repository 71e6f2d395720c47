package dev.mpq.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mpq.solver.bench.BenchInstances;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The two exact engines, built on unrelated methods (Lagrangian core branch and bound in doubles;
 * CP-SAT on integers with the exactness window), agree on realistic instances too large for brute
 * force: the first layers of each benchmark instance, at budgets across the range.
 */
class ExactEnginesAgreeIT {

    private final Solver solver = new Solver();
    private final SolveOptions options = new SolveOptions(0, Duration.ofMinutes(2), 2);

    /** The first {@code n} layers, with the ties and pins among them. */
    static SearchProblem firstLayers(SearchProblem problem, int n) {
        List<Group> groups = problem.groups().subList(0, n);
        Set<String> names = new HashSet<>();
        groups.forEach(g -> names.add(g.name()));
        List<List<String>> ties =
                problem.ties().stream().filter(names::containsAll).toList();
        Map<String, String> pins = new LinkedHashMap<>();
        problem.pins().forEach((layer, id) -> {
            if (names.contains(layer)) {
                pins.put(layer, id);
            }
        });
        return new SearchProblem(
                problem.name() + "-first-" + n,
                problem.metrics(),
                groups,
                problem.minimize(),
                Map.of(),
                ties,
                pins,
                problem.transitionCosts(),
                List.of(),
                problem.frontPoints());
    }

    private void agreeAcrossTheRange(SearchProblem problem, String metric) {
        TieBlocks blocks = TieBlocks.of(problem);
        int m = problem.metricIndex(metric);
        double low = blocks.minTotal(m);
        double high = blocks.maxTotal(m);
        for (int k = 0; k <= 6; k++) {
            SearchProblem at = problem.withBudgets(Map.of(metric, low + (high - low) * (0.02 + 0.16 * k)));
            ParetoFront exact = solver.solve(at, "exact-front", options);
            ParetoFront ilp = solver.solve(at, "ilp", options);
            String as = "%s %s step %d".formatted(problem.name(), metric, k);
            assertThat(exact.status()).as(as).isEqualTo(SolveStatus.OPTIMAL);
            assertThat(ilp.status()).as(as).isEqualTo(SolveStatus.OPTIMAL);
            double a = exact.points().get(0).total(0);
            double b = ilp.points().get(0).total(0);
            assertThat(a).as(as).isCloseTo(b, within(1e-9 * Math.max(a, b)));
        }
    }

    @Test
    void agreeOnTheFirstLayersOfTheLlm() {
        agreeAcrossTheRange(firstLayers(BenchInstances.llm560x10(1), 70), "bytes");
    }

    @Test
    void agreeOnTheFirstExpertsOfTheMoe() {
        agreeAcrossTheRange(firstLayers(BenchInstances.moe(300, 1), 300), "bytes");
    }

    @Test
    void agreeOnTheFirstLayersOfTheDiffusionModel() {
        agreeAcrossTheRange(firstLayers(BenchInstances.diffusion800x3(1), 200), "bytes");
        agreeAcrossTheRange(firstLayers(BenchInstances.diffusion800x3(1), 200), "latency");
    }

    @Test
    void agreeWithTransitionCosts() {
        SearchProblem base = BenchInstances.diffusion800x3(1);
        SearchProblem problem =
                firstLayers(BenchInstances.diffusion800x3WithTransitions(5.5, 4 * BenchInstances.medianStep(base)), 60);
        agreeAcrossTheRange(problem, "bytes");
    }
}
