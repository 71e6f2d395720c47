package dev.mpq.solver;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every engine returns: the status, the points (one for a budget-only problem, the front
 * sorted by the front metrics otherwise), the violated budgets of an infeasible problem, a message
 * for people, and statistics (engine, time, ...).
 */
public record ParetoFront(
        SolveStatus status,
        List<FrontPoint> points,
        List<Violation> violations,
        String message,
        Map<String, Object> stats) {

    public ParetoFront {
        points = List.copyOf(points);
        violations = List.copyOf(violations);
        message = message == null ? "" : message;
        stats = Collections.unmodifiableMap(new LinkedHashMap<>(stats));
    }

    public static ParetoFront infeasible(List<Violation> violations, String message, Map<String, Object> stats) {
        return new ParetoFront(SolveStatus.INFEASIBLE, List.of(), violations, message, stats);
    }

    /** A front of points whose status follows from their gaps. */
    public static ParetoFront of(List<FrontPoint> points, String message, Map<String, Object> stats) {
        boolean proven = points.stream().allMatch(FrontPoint::proven);
        return new ParetoFront(proven ? SolveStatus.OPTIMAL : SolveStatus.FEASIBLE, points, List.of(), message, stats);
    }

    public ParetoFront withStats(Map<String, Object> more) {
        Map<String, Object> merged = new LinkedHashMap<>(stats);
        merged.putAll(more);
        return new ParetoFront(status, points, violations, message, merged);
    }

    /** The largest gap over the points; null when a point has no proof, 0 for an empty front. */
    public Double maxGap() {
        double max = 0;
        for (FrontPoint point : points) {
            if (point.gap() == null) {
                return null;
            }
            max = Math.max(max, point.gap());
        }
        return max;
    }
}
