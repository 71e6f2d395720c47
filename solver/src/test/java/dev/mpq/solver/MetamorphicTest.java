package dev.mpq.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Relations between answers that must hold whatever the optimum is (STYLE.md rule 4). */
class MetamorphicTest {

    private final Solver solver = new Solver();
    private final SolveOptions options = new SolveOptions(0, Duration.ofSeconds(30), 2);

    /** Every value of one metric multiplied by k (budgets and transition costs on it too). */
    private static SearchProblem scaled(SearchProblem problem, int metric, double k) {
        List<Group> groups = new ArrayList<>();
        for (Group group : problem.groups()) {
            List<Option> options = new ArrayList<>();
            for (Option option : group.options()) {
                double[] values = option.values();
                values[metric] *= k;
                options.add(new Option(option.id(), values));
            }
            groups.add(new Group(group.name(), options));
        }
        String name = problem.metrics().get(metric);
        Map<String, Double> budgets = new LinkedHashMap<>(problem.budgets());
        budgets.computeIfPresent(name, (m, b) -> b * k);
        Map<String, Double> costs = new LinkedHashMap<>(problem.transitionCosts());
        costs.computeIfPresent(name, (m, c) -> c * k);
        return new SearchProblem(
                problem.name(),
                problem.metrics(),
                groups,
                problem.minimize(),
                budgets,
                problem.ties(),
                problem.pins(),
                costs,
                problem.front(),
                problem.frontPoints());
    }

    /** Adds to every untied, unpinned layer an option strictly worse than its first option in every metric. */
    private static SearchProblem withDominatedOptions(SearchProblem problem) {
        java.util.Set<String> tied = new java.util.HashSet<>();
        problem.ties().forEach(tied::addAll);
        List<Group> groups = new ArrayList<>();
        for (Group group : problem.groups()) {
            List<Option> options = new ArrayList<>(group.options());
            if (!tied.contains(group.name()) && !problem.pins().containsKey(group.name())) {
                double[] values = group.options().get(0).values();
                for (int m = 0; m < values.length; m++) {
                    values[m] = values[m] * 1.5 + 1;
                }
                options.add(new Option("dominated", values));
            }
            groups.add(new Group(group.name(), options));
        }
        return problem.withGroups(groups);
    }

    @Test
    void tighteningABudgetNeverImprovesTheOptimumOfAnyExactEngine() {
        for (long seed = 1; seed <= 30; seed++) {
            SearchProblem additive = TestProblems.random(seed);
            SearchProblem switching = TestProblems.randomWithTransitions(seed);
            TieBlocks blocks = TieBlocks.of(additive);
            double low = blocks.minTotal(2);
            double high = blocks.maxTotal(2) + 40;
            for (String engine : List.of("exact-front", "ilp")) {
                for (SearchProblem base : List.of(additive, switching)) {
                    double previous = Double.NEGATIVE_INFINITY;
                    for (int k = 10; k >= 0; k--) {
                        Map<String, Double> budgets = new LinkedHashMap<>();
                        budgets.put("latency", low + (high - low) * k / 10);
                        if (engine.equals("ilp")) {
                            budgets.put("bytes", blocks.maxTotal(1) * 0.9);
                        }
                        ParetoFront result = solver.solve(base.withBudgets(budgets), engine, options);
                        double value = result.points().isEmpty()
                                ? Double.POSITIVE_INFINITY
                                : result.points().get(0).total(0);
                        assertThat(value)
                                .as("seed %d %s budget step %d", seed, engine, k)
                                .isGreaterThanOrEqualTo(previous);
                        previous = value;
                    }
                }
            }
        }
    }

    @Test
    void scalingEveryValueOfAMetricChangesNoChoice() {
        Random random = new Random(6);
        for (long seed = 1; seed <= 40; seed++) {
            SearchProblem front = TestProblems.random(seed).withFront(List.of("bytes"), 10_000);
            SearchProblem budgeted = TestProblems.randomWithTransitions(seed)
                    .withBudgets(
                            Map.of("latency", TestProblems.budget(TestProblems.random(seed), "latency", random) + 30));
            for (double k : new double[] {1e-6, 3.7, 1e5}) {
                ParetoFront plain = solver.solve(front, "exact-front", options);
                ParetoFront other = solver.solve(scaled(front, 1, k), "exact-front", options);
                assertThat(other.points()).as("seed %d k %s", seed, k).hasSameSizeAs(plain.points());
                for (int i = 0; i < plain.points().size(); i++) {
                    assertThat(other.points().get(i).choices())
                            .as("seed %d k %s point %d", seed, k, i)
                            .isEqualTo(plain.points().get(i).choices());
                }
                for (String engine : List.of("exact-front", "ilp")) {
                    ParetoFront a = solver.solve(budgeted, engine, options);
                    ParetoFront b = solver.solve(scaled(budgeted, 2, k), engine, options);
                    assertThat(b.status())
                            .as("seed %d k %s %s", seed, k, engine)
                            .isEqualTo(a.status());
                    if (!a.points().isEmpty()) {
                        assertThat(b.points().get(0).total(0))
                                .as("seed %d k %s %s", seed, k, engine)
                                .isCloseTo(
                                        a.points().get(0).total(0),
                                        within(1e-12 * a.points().get(0).total(0)));
                    }
                }
            }
        }
    }

    @Test
    void addingADominatedOptionChangesNothing() {
        Random random = new Random(10);
        for (long seed = 1; seed <= 60; seed++) {
            SearchProblem front = TestProblems.random(seed).withFront(List.of("latency"), 10_000);
            ParetoFront plain = solver.solve(front, "exact-front", options);
            ParetoFront other = solver.solve(withDominatedOptions(front), "exact-front", options);
            assertThat(other.points()).as("seed %d", seed).hasSameSizeAs(plain.points());
            for (int i = 0; i < plain.points().size(); i++) {
                assertThat(other.points().get(i).totals())
                        .as("seed %d point %d", seed, i)
                        .isEqualTo(plain.points().get(i).totals());
            }
            SearchProblem budgeted = TestProblems.random(seed)
                    .withBudgets(Map.of("bytes", TestProblems.budget(TestProblems.random(seed), "bytes", random)));
            ParetoFront a = solver.solve(budgeted, "ilp", options);
            ParetoFront b = solver.solve(withDominatedOptions(budgeted), "ilp", options);
            assertThat(b.status()).as("seed %d", seed).isEqualTo(a.status());
            if (!a.points().isEmpty()) {
                assertThat(b.points().get(0).total(0))
                        .as("seed %d", seed)
                        .isEqualTo(a.points().get(0).total(0));
            }
        }
    }
}
