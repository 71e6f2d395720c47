package dev.mpq.service.search;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/searches}: what to search and how; the options mirror the problem document of
 * {@code ./mpq solve} (CONTRACTS.md section 4). Metrics: {@code penalty} (from the profile), {@code
 * latency}, {@code bytes}, {@code bops} (from the device's cost table).
 *
 * @param budgets absolute budgets, {@code {metric: max}}
 * @param relativeBudgets budgets as a fraction r of the reachable range: smallest total + r x
 *     (largest total - smallest total), with ties respected
 * @param front metrics to trace the front of {@code minimize} against (empty: one configuration)
 * @param frontPoints the complete front when it has at most this many points, else this many budget points
 * @param transitionCost a cost added to a metric for every pair of consecutive layers whose precisions differ
 * @param engine an engine name, or null for the best exact engine
 * @param batch samples (or tokens) per step for the device's cost model (default 1); ignored with a
 *     user cost table
 */
public record SearchRequest(
        Long networkId,
        Long profileId,
        Long deviceId,
        String minimize,
        Map<String, Double> budgets,
        Map<String, Double> relativeBudgets,
        List<String> front,
        Integer frontPoints,
        Map<String, Double> transitionCost,
        String engine,
        Long seed,
        Double timeLimitSeconds,
        Integer threads,
        Integer batch) {

    public String minimizeOrDefault() {
        return minimize == null || minimize.isBlank() ? "penalty" : minimize;
    }

    public long seedOrDefault() {
        return seed == null ? 0 : seed;
    }

    public int batchOrDefault() {
        return batch == null ? 1 : batch;
    }

    /** The same request on another network, profile and device (a standing search's instance). */
    public SearchRequest on(long network, long profile, long device) {
        return new SearchRequest(
                network,
                profile,
                device,
                minimize,
                budgets,
                relativeBudgets,
                front,
                frontPoints,
                transitionCost,
                engine,
                seed,
                timeLimitSeconds,
                threads,
                batch);
    }
}
