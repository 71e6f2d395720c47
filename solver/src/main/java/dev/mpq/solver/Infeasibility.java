package dev.mpq.solver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * Explains an infeasible request: the budgets that cannot be met even alone, each with the smallest
 * total reachable under ties and pins; or, when each is reachable alone, all budgets and a message
 * that they conflict.
 */
final class Infeasibility {

    private Infeasibility() {}

    /** Budgets that cannot be met even alone (empty when each is reachable by itself). */
    static List<Violation> unreachableAlone(TieBlocks blocks) {
        return unreachableAlone(blocks, metric -> minimumAlone(blocks, metric));
    }

    /**
     * Budgets that cannot be met even alone, with the smallest total of each metric given by {@code
     * minimumAlone} (by metric index; transition costs included where the problem has them).
     */
    static List<Violation> unreachableAlone(TieBlocks blocks, IntToDoubleFunction minimumAlone) {
        SearchProblem problem = blocks.problem();
        List<Violation> violations = new ArrayList<>();
        for (Map.Entry<String, Double> budget : problem.budgets().entrySet()) {
            double minimum = minimumAlone.applyAsDouble(problem.metricIndex(budget.getKey()));
            if (minimum > budget.getValue() + ExactFrontEngine.EQUAL_RELATIVE * Math.abs(budget.getValue())) {
                violations.add(new Violation(budget.getKey(), budget.getValue(), minimum));
            }
        }
        return violations;
    }

    /**
     * Smallest total of a metric under ties and pins. Transition costs only add, so their smallest
     * contribution is reached by the configuration that minimises the additive part only when it
     * switches nowhere; the additive minimum is a valid lower bound and exact without transitions.
     */
    static double minimumAlone(TieBlocks blocks, int metric) {
        return blocks.minTotal(metric);
    }

    static ParetoFront unreachable(List<Violation> violations, Map<String, Object> stats) {
        StringBuilder message = new StringBuilder("No configuration meets ");
        for (int i = 0; i < violations.size(); i++) {
            Violation v = violations.get(i);
            message.append(i == 0 ? "" : "; ")
                    .append("the %s budget %s (the smallest reachable %s is %s)"
                            .formatted(v.metric(), v.budget(), v.metric(), v.minimum()));
        }
        return ParetoFront.infeasible(violations, message.append('.').toString(), stats);
    }

    static ParetoFront conflicting(TieBlocks blocks, Map<String, Object> stats) {
        return conflicting(blocks, metric -> minimumAlone(blocks, metric), stats);
    }

    static ParetoFront conflicting(TieBlocks blocks, IntToDoubleFunction minimumAlone, Map<String, Object> stats) {
        SearchProblem problem = blocks.problem();
        List<Violation> all = new ArrayList<>();
        problem.budgets()
                .forEach((metric, budget) -> all.add(
                        new Violation(metric, budget, minimumAlone.applyAsDouble(problem.metricIndex(metric)))));
        return ParetoFront.infeasible(
                all,
                "Each budget can be met alone, but not all together: the budgets %s conflict; relax one of them."
                        .formatted(problem.budgets().keySet()),
                stats);
    }
}
