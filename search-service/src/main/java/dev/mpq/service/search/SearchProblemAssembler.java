package dev.mpq.service.search;

import dev.mpq.core.LayerSpec;
import dev.mpq.core.NetworkSpec;
import dev.mpq.service.api.Validation;
import dev.mpq.service.device.LayerCost;
import dev.mpq.solver.Group;
import dev.mpq.solver.Option;
import dev.mpq.solver.SearchProblem;
import dev.mpq.solver.TieBlocks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link SearchProblem} of a search from a network, a sensitivity profile and a device's
 * cost table (plain Java: no Spring, tested alone). Each layer's options are the precisions that
 * have both a penalty and a cost, in the profile's order; ties come from the layers' tie groups.
 */
public final class SearchProblemAssembler {

    public static final List<String> METRICS = List.of("penalty", "latency", "bytes", "bops");

    private SearchProblemAssembler() {}

    public static SearchProblem assemble(
            String name,
            NetworkSpec network,
            List<Map<String, Double>> penalties,
            List<Map<String, LayerCost>> costs,
            SearchRequest request) {
        Validation errors = new Validation();
        List<Group> groups = new ArrayList<>();
        for (int i = 0; i < network.layers().size(); i++) {
            LayerSpec layer = network.layers().get(i);
            List<Option> options = new ArrayList<>();
            for (Map.Entry<String, Double> penalty : penalties.get(i).entrySet()) {
                LayerCost cost = costs.get(i).get(penalty.getKey());
                if (cost != null) {
                    options.add(new Option(
                            penalty.getKey(),
                            new double[] {penalty.getValue(), cost.latency(), cost.bytes(), cost.bops()}));
                }
            }
            if (options.isEmpty()) {
                errors.reject(
                        "profileId",
                        "Layer '%s' has no precision with both a penalty (profile: %s) and a cost (cost table: %s)."
                                .formatted(
                                        layer.name(),
                                        penalties.get(i).keySet(),
                                        costs.get(i).keySet()));
            }
            groups.add(new Group(layer.name(), options));
        }
        String minimize = request.minimizeOrDefault();
        checkMetric(errors, "minimize", minimize);
        if (request.front() != null) {
            request.front().forEach(m -> checkMetric(errors, "front", m));
        }
        if (request.budgets() != null) {
            request.budgets().keySet().forEach(m -> checkMetric(errors, "budgets." + m, m));
        }
        if (request.relativeBudgets() != null) {
            request.relativeBudgets().forEach((m, r) -> {
                checkMetric(errors, "relativeBudgets." + m, m);
                if (r == null || !Double.isFinite(r)) {
                    errors.reject("relativeBudgets." + m, "A relative budget is a finite fraction, e.g. 0.5.");
                }
            });
        }
        errors.throwIfInvalid();
        int frontPoints = request.frontPoints() == null ? SearchProblem.DEFAULT_FRONT_POINTS : request.frontPoints();
        SearchProblem problem = new SearchProblem(
                name,
                METRICS,
                groups,
                minimize,
                request.budgets(),
                network.ties(),
                Map.of(),
                request.transitionCost(),
                request.front(),
                frontPoints);
        if (request.relativeBudgets() == null || request.relativeBudgets().isEmpty()) {
            return problem;
        }
        TieBlocks blocks = TieBlocks.of(problem);
        Map<String, Double> budgets = new LinkedHashMap<>(problem.budgets());
        request.relativeBudgets().forEach((metric, fraction) -> {
            int m = problem.metricIndex(metric);
            double low = blocks.minTotal(m);
            double high = blocks.maxTotal(m);
            budgets.merge(metric, low + fraction * (high - low), Math::min);
        });
        return problem.withBudgets(budgets);
    }

    private static void checkMetric(Validation errors, String field, String metric) {
        if (!METRICS.contains(metric)) {
            errors.reject(field, "Unknown metric '%s'; searches know %s.".formatted(metric, METRICS));
        }
    }
}
