package dev.mpq.solver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one independent check every returned configuration passes. It reads nothing but the {@link
 * SearchProblem} and the choices: recomputes every metric in document order (transition costs
 * included), then checks ties, pins and budgets. Budgets allow a relative slack of {@link
 * #RELATIVE_TOLERANCE} for the order in which different engines add doubles.
 *
 * <p>{@link #of(SearchProblem)} resolves layer names once, for checking many configurations of one
 * problem; the static methods do it per call.
 */
public final class FeasibilityChecker {

    /** Relative tolerance of budget checks and of optimality in double precision. */
    public static final double RELATIVE_TOLERANCE = 1e-9;

    private final SearchProblem problem;
    /** ties[t] = group indices of tie t. */
    private final int[][] ties;

    private final int[] pinnedGroups;
    private final String[] pinnedIds;
    private final int[] budgetMetrics;
    private final double[] budgetValues;
    private final int[] transitionMetrics;
    private final double[] transitionValues;
    /** Flat copies: option o of group g is row offset[g] + o; values row-major by metric. */
    private final int[] offset;

    private final double[] values;
    /** A number per distinct option id, so ties and switches compare ints. */
    private final int[] idNumber;

    private FeasibilityChecker(SearchProblem problem) {
        this.problem = problem;
        int metrics = problem.metrics().size();
        List<Group> groups = problem.groups();
        offset = new int[groups.size() + 1];
        for (int g = 0; g < groups.size(); g++) {
            offset[g + 1] = offset[g] + groups.get(g).options().size();
        }
        values = new double[offset[groups.size()] * metrics];
        idNumber = new int[offset[groups.size()]];
        Map<String, Integer> ids = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            List<Option> options = groups.get(g).options();
            for (int o = 0; o < options.size(); o++) {
                Option option = options.get(o);
                int row = offset[g] + o;
                for (int m = 0; m < metrics; m++) {
                    values[row * metrics + m] = option.value(m);
                }
                idNumber[row] = ids.computeIfAbsent(option.id(), id -> ids.size());
            }
        }
        Map<String, Integer> index = new HashMap<>();
        for (int g = 0; g < problem.groups().size(); g++) {
            index.put(problem.groups().get(g).name(), g);
        }
        ties = new int[problem.ties().size()][];
        for (int t = 0; t < ties.length; t++) {
            List<String> tie = problem.ties().get(t);
            ties[t] = new int[tie.size()];
            for (int k = 0; k < tie.size(); k++) {
                ties[t][k] = index.get(tie.get(k));
            }
        }
        pinnedGroups = new int[problem.pins().size()];
        pinnedIds = new String[problem.pins().size()];
        int p = 0;
        for (Map.Entry<String, String> pin : problem.pins().entrySet()) {
            pinnedGroups[p] = index.get(pin.getKey());
            pinnedIds[p] = pin.getValue();
            p++;
        }
        budgetMetrics = new int[problem.budgets().size()];
        budgetValues = new double[problem.budgets().size()];
        int b = 0;
        for (Map.Entry<String, Double> budget : problem.budgets().entrySet()) {
            budgetMetrics[b] = problem.metricIndex(budget.getKey());
            budgetValues[b] = budget.getValue();
            b++;
        }
        transitionMetrics = new int[problem.transitionCosts().size()];
        transitionValues = new double[problem.transitionCosts().size()];
        int c = 0;
        for (Map.Entry<String, Double> cost : problem.transitionCosts().entrySet()) {
            transitionMetrics[c] = problem.metricIndex(cost.getKey());
            transitionValues[c] = cost.getValue();
            c++;
        }
    }

    /** A checker for many configurations of one problem. */
    public static FeasibilityChecker of(SearchProblem problem) {
        return new FeasibilityChecker(problem);
    }

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
            Option option = groups.get(g).options().get(choices[g]);
            for (int m = 0; m < metrics; m++) {
                totals[m] += option.value(m);
            }
        }
        if (!problem.transitionCosts().isEmpty()) {
            int switches = switches(problem, choices);
            for (var cost : problem.transitionCosts().entrySet()) {
                totals[problem.metricIndex(cost.getKey())] += switches * cost.getValue();
            }
        }
        return totals;
    }

    /** Pairs of consecutive groups (document order) whose option ids differ. */
    public static int switches(SearchProblem problem, int[] choices) {
        List<Group> groups = problem.groups();
        int switches = 0;
        for (int g = 1; g < groups.size(); g++) {
            String previous = groups.get(g - 1).options().get(choices[g - 1]).id();
            if (!previous.equals(groups.get(g).options().get(choices[g]).id())) {
                switches++;
            }
        }
        return switches;
    }

    public static Check check(SearchProblem problem, int[] choices) {
        return of(problem).check(choices);
    }

    /** Checks one configuration (an option index per group, in the problem's group order). */
    public Check check(int[] choices) {
        List<String> problems = new ArrayList<>();
        List<Group> groups = problem.groups();
        if (choices.length != groups.size()) {
            problems.add("%d choices for %d layers".formatted(choices.length, groups.size()));
            return new Check(new double[problem.metrics().size()], problems);
        }
        for (int g = 0; g < groups.size(); g++) {
            if (choices[g] < 0 || choices[g] >= offset[g + 1] - offset[g]) {
                problems.add("layer %s has no option %d".formatted(groups.get(g).name(), choices[g]));
            }
        }
        if (!problems.isEmpty()) {
            return new Check(new double[problem.metrics().size()], problems);
        }
        for (int[] tie : ties) {
            int first = idNumber[offset[tie[0]] + choices[tie[0]]];
            for (int k = 1; k < tie.length; k++) {
                if (idNumber[offset[tie[k]] + choices[tie[k]]] != first) {
                    problems.add("tie %s broken: %s takes %s, not %s"
                            .formatted(
                                    names(tie),
                                    groups.get(tie[k]).name(),
                                    groups.get(tie[k])
                                            .options()
                                            .get(choices[tie[k]])
                                            .id(),
                                    groups.get(tie[0])
                                            .options()
                                            .get(choices[tie[0]])
                                            .id()));
                }
            }
        }
        for (int p = 0; p < pinnedGroups.length; p++) {
            int g = pinnedGroups[p];
            String chosen = groups.get(g).options().get(choices[g]).id();
            if (!chosen.equals(pinnedIds[p])) {
                problems.add("pin broken: %s takes %s, pinned to %s"
                        .formatted(groups.get(g).name(), chosen, pinnedIds[p]));
            }
        }
        double[] totals = totals(choices);
        for (int b = 0; b < budgetMetrics.length; b++) {
            double total = totals[budgetMetrics[b]];
            if (!withinBudget(total, budgetValues[b])) {
                problems.add("budget %s exceeded: %s > %s"
                        .formatted(problem.metrics().get(budgetMetrics[b]), total, budgetValues[b]));
            }
        }
        return new Check(totals, problems);
    }

    /** Totals of every metric in document order, with transition costs. */
    public double[] totals(int[] choices) {
        int groups = offset.length - 1;
        if (choices.length != groups) {
            throw new IllegalArgumentException(
                    "A configuration has %d choices for %d layers.".formatted(choices.length, groups));
        }
        int metrics = problem.metrics().size();
        double[] totals = new double[metrics];
        for (int g = 0; g < groups; g++) {
            int row = (offset[g] + choices[g]) * metrics;
            for (int m = 0; m < metrics; m++) {
                totals[m] += values[row + m];
            }
        }
        if (transitionMetrics.length > 0) {
            int switches = 0;
            for (int g = 1; g < groups; g++) {
                if (idNumber[offset[g - 1] + choices[g - 1]] != idNumber[offset[g] + choices[g]]) {
                    switches++;
                }
            }
            for (int c = 0; c < transitionMetrics.length; c++) {
                totals[transitionMetrics[c]] += switches * transitionValues[c];
            }
        }
        return totals;
    }

    /** Pairs of consecutive groups whose option ids differ. */
    public int switches(int[] choices) {
        int switches = 0;
        for (int g = 1; g < offset.length - 1; g++) {
            if (idNumber[offset[g - 1] + choices[g - 1]] != idNumber[offset[g] + choices[g]]) {
                switches++;
            }
        }
        return switches;
    }

    private List<String> names(int[] tie) {
        List<String> names = new ArrayList<>();
        for (int g : tie) {
            names.add(problem.groups().get(g).name());
        }
        return names;
    }

    /** {@code total <= budget} with the relative tolerance. */
    public static boolean withinBudget(double total, double budget) {
        return total <= budget + RELATIVE_TOLERANCE * Math.max(Math.abs(budget), Math.abs(total));
    }
}
