package dev.mpq.solver;

import java.util.ArrayList;
import java.util.List;

/**
 * The one independent check every returned configuration passes. It reads nothing but the {@link
 * SearchProblem} and the choices: recomputes every metric in document order (transition costs
 * included), then checks ties, pins and budgets. Budgets allow a relative slack of {@link
 * #RELATIVE_TOLERANCE} for the order in which different engines add doubles.
 */
public final class FeasibilityChecker {

    /** Relative tolerance of budget checks and of optimality in double precision. */
    public static final double RELATIVE_TOLERANCE = 1e-9;

    private FeasibilityChecker() {}

    /** The outcome: totals per metric and the list of broken rules (empty when feasible). */
    public record Check(double[] totals, List<String> problems) {
        public boolean feasible() {
            return problems.isEmpty();
        }
    }

    /** Totals of every metric in document order, with transition costs. */
    public static double[] totals(SearchProblem problem, int[] choices) {
        List<Group> groups = problem.groups();
        if (choices.length != groups.size()) {
            throw new IllegalArgumentException(
                    "A configuration has %d choices for %d layers.".formatted(choices.length, groups.size()));
        }
        int metrics = problem.metrics().size();
        double[] totals = new double[metrics];
        for (int g = 0; g < groups.size(); g++) {
            double[] values = groups.get(g).options().get(choices[g]).values();
            for (int m = 0; m < metrics; m++) {
                totals[m] += values[m];
            }
        }
        if (!problem.transitionCosts().isEmpty()) {
            int switches = 0;
            for (int g = 1; g < groups.size(); g++) {
                String previous = groups.get(g - 1).options().get(choices[g - 1]).id();
                if (!previous.equals(groups.get(g).options().get(choices[g]).id())) {
                    switches++;
                }
            }
            for (var cost : problem.transitionCosts().entrySet()) {
                totals[problem.metricIndex(cost.getKey())] += switches * cost.getValue();
            }
        }
        return totals;
    }

    public static Check check(SearchProblem problem, int[] choices) {
        List<String> problems = new ArrayList<>();
        List<Group> groups = problem.groups();
        if (choices.length != groups.size()) {
            problems.add("%d choices for %d layers".formatted(choices.length, groups.size()));
            return new Check(new double[problem.metrics().size()], problems);
        }
        for (int g = 0; g < groups.size(); g++) {
            if (choices[g] < 0 || choices[g] >= groups.get(g).options().size()) {
                problems.add("layer %s has no option %d".formatted(groups.get(g).name(), choices[g]));
            }
        }
        if (!problems.isEmpty()) {
            return new Check(new double[problem.metrics().size()], problems);
        }
        for (List<String> tie : problem.ties()) {
            String first = null;
            for (String layer : tie) {
                int g = problem.groupIndex(layer);
                String id = groups.get(g).options().get(choices[g]).id();
                if (first == null) {
                    first = id;
                } else if (!first.equals(id)) {
                    problems.add("tie %s broken: %s takes %s, not %s".formatted(tie, layer, id, first));
                }
            }
        }
        problem.pins().forEach((layer, id) -> {
            int g = problem.groupIndex(layer);
            String chosen = groups.get(g).options().get(choices[g]).id();
            if (!chosen.equals(id)) {
                problems.add("pin broken: %s takes %s, pinned to %s".formatted(layer, chosen, id));
            }
        });
        double[] totals = totals(problem, choices);
        problem.budgets().forEach((metric, max) -> {
            double total = totals[problem.metricIndex(metric)];
            if (!withinBudget(total, max)) {
                problems.add("budget %s exceeded: %s > %s".formatted(metric, total, max));
            }
        });
        return new Check(totals, problems);
    }

    /** {@code total <= budget} with the relative tolerance. */
    public static boolean withinBudget(double total, double budget) {
        return total <= budget + RELATIVE_TOLERANCE * Math.max(Math.abs(budget), Math.abs(total));
    }
}
