package dev.mpq.solver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A multiple-choice problem: every group takes exactly one option; options carry a vector of named,
 * finite, non-negative metrics. Minimise one metric subject to budgets (sum &lt;= max), ties (groups
 * that must take the same option id) and pins (a fixed option), optionally with transition costs
 * (added to a metric for every pair of consecutive groups whose option ids differ), either for one
 * configuration or for the Pareto front against one or more front metrics.
 *
 * <p>The solver knows nothing of layers or formats: this is the whole interface between MPQ and its
 * search engines. Field names in error messages follow the problem document of CONTRACTS.md section
 * 4 ({@code layers}, {@code options}, ...).
 *
 * @param frontPoints the complete front is returned when it has at most this many points, otherwise
 *     this many budget points spread over the front metric's feasible range
 */
public record SearchProblem(
        String name,
        List<String> metrics,
        List<Group> groups,
        String minimize,
        Map<String, Double> budgets,
        List<List<String>> ties,
        Map<String, String> pins,
        Map<String, Double> transitionCosts,
        List<String> front,
        int frontPoints) {

    public static final int DEFAULT_FRONT_POINTS = 10_000;

    public SearchProblem {
        name = name == null ? "" : name;
        metrics = List.copyOf(metrics == null ? List.of() : metrics);
        groups = List.copyOf(groups == null ? List.of() : groups);
        budgets = Collections.unmodifiableMap(new LinkedHashMap<>(budgets == null ? Map.of() : budgets));
        ties = (ties == null ? List.<List<String>>of() : ties)
                .stream().map(List::copyOf).toList();
        pins = Collections.unmodifiableMap(new LinkedHashMap<>(pins == null ? Map.of() : pins));
        transitionCosts =
                Collections.unmodifiableMap(new LinkedHashMap<>(transitionCosts == null ? Map.of() : transitionCosts));
        front = List.copyOf(front == null ? List.of() : front);
        validate(metrics, groups, minimize, budgets, ties, pins, transitionCosts, front, frontPoints);
    }

    /** A problem with one configuration under budgets (no front). */
    public static SearchProblem ofBudgets(
            String name, List<String> metrics, List<Group> groups, String minimize, Map<String, Double> budgets) {
        return new SearchProblem(
                name,
                metrics,
                groups,
                minimize,
                budgets,
                List.of(),
                Map.of(),
                Map.of(),
                List.of(),
                DEFAULT_FRONT_POINTS);
    }

    public int metricIndex(String metric) {
        int index = metrics.indexOf(metric);
        if (index < 0) {
            throw new IllegalArgumentException("Unknown metric '%s'; the problem has %s.".formatted(metric, metrics));
        }
        return index;
    }

    public int minimizeIndex() {
        return metricIndex(minimize);
    }

    public int groupIndex(String group) {
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).name().equals(group)) {
                return i;
            }
        }
        return -1;
    }

    public boolean hasTransitionCosts() {
        return transitionCosts.values().stream().anyMatch(c -> c > 0);
    }

    public SearchProblem withBudgets(Map<String, Double> newBudgets) {
        return new SearchProblem(
                name, metrics, groups, minimize, newBudgets, ties, pins, transitionCosts, front, frontPoints);
    }

    public SearchProblem withFront(List<String> newFront, int newFrontPoints) {
        return new SearchProblem(
                name, metrics, groups, minimize, budgets, ties, pins, transitionCosts, newFront, newFrontPoints);
    }

    public SearchProblem withGroups(List<Group> newGroups) {
        return new SearchProblem(
                name, metrics, newGroups, minimize, budgets, ties, pins, transitionCosts, front, frontPoints);
    }

    private static void validate(
            List<String> metrics,
            List<Group> groups,
            String minimize,
            Map<String, Double> budgets,
            List<List<String>> ties,
            Map<String, String> pins,
            Map<String, Double> transitionCosts,
            List<String> front,
            int frontPoints) {
        if (metrics.isEmpty()) {
            throw new InvalidProblemException(
                    "layers", "The problem has no metrics; every option needs numeric metrics such as penalty.");
        }
        if (new HashSet<>(metrics).size() != metrics.size()) {
            throw new InvalidProblemException("layers", "Metric names repeat: %s.".formatted(metrics));
        }
        if (groups.isEmpty()) {
            throw new InvalidProblemException("layers", "The problem has no layers; give at least one.");
        }
        Map<String, Integer> groupIndex = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            if (groupIndex.put(group.name(), g) != null) {
                throw new InvalidProblemException(
                        "layers[%d].name".formatted(g),
                        "Two layers are named '%s'; layer names must be unique.".formatted(group.name()));
            }
            if (group.options().isEmpty()) {
                throw new InvalidProblemException(
                        "layers[%d].options".formatted(g),
                        "Layer (%s) has 0 options; a layer needs at least one option.".formatted(group.name()));
            }
            Set<String> ids = group.options().size() > 1 ? new HashSet<>() : null;
            for (int o = 0; o < group.options().size(); o++) {
                Option option = group.options().get(o);
                if (ids != null && !ids.add(option.id())) {
                    throw new InvalidProblemException(
                            "layers[%d].options[%d].id".formatted(g, o),
                            "Layer (%s) has two options with id '%s'; option ids must be unique within a layer."
                                    .formatted(group.name(), option.id()));
                }
                if (option.metricCount() != metrics.size()) {
                    throw new InvalidProblemException(
                            "layers[%d].options[%d]".formatted(g, o),
                            "Option (%s) of layer (%s) has %d metrics; every option needs the same metrics %s."
                                    .formatted(option.id(), group.name(), option.metricCount(), metrics));
                }
                for (int m = 0; m < metrics.size(); m++) {
                    double value = option.value(m);
                    if (!Double.isFinite(value) || value < 0) {
                        throw new InvalidProblemException(
                                "layers[%d].options[%d].%s".formatted(g, o, metrics.get(m)),
                                "Option (%s) of layer (%s) has %s = %s; metrics must be finite and >= 0."
                                        .formatted(option.id(), group.name(), metrics.get(m), value));
                    }
                }
            }
        }
        if (minimize == null || !metrics.contains(minimize)) {
            throw new InvalidProblemException(
                    "minimize",
                    "minimize is '%s'; it must name one of the options' metrics %s.".formatted(minimize, metrics));
        }
        budgets.forEach((metric, max) -> {
            if (!metrics.contains(metric)) {
                throw new InvalidProblemException(
                        "budgets." + metric,
                        "Budget on unknown metric '%s'; the options have %s.".formatted(metric, metrics));
            }
            if (max == null || !Double.isFinite(max)) {
                throw new InvalidProblemException(
                        "budgets." + metric,
                        "Budget on %s is %s; a budget must be a finite number.".formatted(metric, max));
            }
        });
        Set<String> frontSeen = new LinkedHashSet<>();
        for (String metric : front) {
            if (!metrics.contains(metric)) {
                throw new InvalidProblemException(
                        "front", "Front metric '%s' is unknown; the options have %s.".formatted(metric, metrics));
            }
            if (metric.equals(minimize)) {
                throw new InvalidProblemException(
                        "front",
                        "Front metric '%s' is the minimised metric; a front needs a different metric."
                                .formatted(metric));
            }
            if (!frontSeen.add(metric)) {
                throw new InvalidProblemException("front", "Front metric '%s' appears twice.".formatted(metric));
            }
        }
        if (frontPoints < 1) {
            throw new InvalidProblemException(
                    "front_points", "front_points is %d; it must be at least 1.".formatted(frontPoints));
        }
        transitionCosts.forEach((metric, cost) -> {
            if (!metrics.contains(metric)) {
                throw new InvalidProblemException(
                        "transition_cost." + metric,
                        "Transition cost on unknown metric '%s'; the options have %s.".formatted(metric, metrics));
            }
            if (cost == null || !Double.isFinite(cost) || cost < 0) {
                throw new InvalidProblemException(
                        "transition_cost." + metric,
                        "Transition cost on %s is %s; it must be finite and >= 0.".formatted(metric, cost));
            }
        });
        pins.forEach((layer, optionId) -> {
            Integer g = groupIndex.get(layer);
            if (g == null) {
                throw new InvalidProblemException("pins." + layer, "Pin on unknown layer '%s'.".formatted(layer));
            }
            if (groups.get(g).indexOf(optionId) < 0) {
                throw new InvalidProblemException(
                        "pins." + layer,
                        "Layer (%s) is pinned to '%s', which is not one of its options %s."
                                .formatted(layer, optionId, optionIds(groups.get(g))));
            }
        });
        for (int t = 0; t < ties.size(); t++) {
            List<String> tie = ties.get(t);
            Set<String> common = null;
            for (String layer : tie) {
                Integer g = groupIndex.get(layer);
                if (g == null) {
                    throw new InvalidProblemException(
                            "ties[%d]".formatted(t), "Tie names unknown layer '%s'.".formatted(layer));
                }
                Set<String> ids = new LinkedHashSet<>(optionIds(groups.get(g)));
                if (common == null) {
                    common = ids;
                } else {
                    common.retainAll(ids);
                }
            }
            if (common != null && common.isEmpty()) {
                throw new InvalidProblemException(
                        "ties[%d]".formatted(t),
                        "Tie %s has no option id common to all its layers; tied layers must share at least one option."
                                .formatted(tie));
            }
        }
        TieBlocks.partition(groups, ties, pins);
    }

    private static List<String> optionIds(Group group) {
        List<String> ids = new ArrayList<>();
        for (Option option : group.options()) {
            ids.add(option.id());
        }
        return ids;
    }
}
