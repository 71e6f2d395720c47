package dev.mpq.solver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto utilities over {@link FrontPoint} totals: dominance, the front rule of CONTRACTS.md section
 * 4, and non-dominated filtering for several objectives. Values closer than {@link #EQUAL_RELATIVE}
 * (relative) count as equal, the noise of summing doubles in different orders.
 */
public final class Dominance {

    public static final double EQUAL_RELATIVE = 1e-12;

    private Dominance() {}

    /** {@code a <= b} up to the relative noise of summing doubles. */
    public static boolean atMost(double a, double b) {
        return a <= b + EQUAL_RELATIVE * Math.max(Math.abs(a), Math.abs(b));
    }

    /** {@code a < b} beyond the relative noise of summing doubles. */
    public static boolean below(double a, double b) {
        return a < b - EQUAL_RELATIVE * Math.max(Math.abs(a), Math.abs(b));
    }

    /** a dominates b on the given metrics: no worse on all, strictly better on one. */
    public static boolean dominates(double[] a, double[] b, int[] metrics) {
        boolean better = false;
        for (int m : metrics) {
            if (!atMost(a[m], b[m])) {
                return false;
            }
            if (below(a[m], b[m])) {
                better = true;
            }
        }
        return better;
    }

    /** Equal on every given metric (up to noise). */
    public static boolean same(double[] a, double[] b, int[] metrics) {
        for (int m : metrics) {
            if (below(a[m], b[m]) || below(b[m], a[m])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The front of {@code objective} against {@code resource} as CONTRACTS.md section 4 defines it:
     * sorted by resource ascending, a point is kept iff its objective is strictly lower than that of
     * every point with smaller or equal resource.
     */
    public static List<FrontPoint> sortedFront(List<FrontPoint> points, int objective, int resource) {
        List<FrontPoint> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.<FrontPoint>comparingDouble(p -> p.total(resource))
                .thenComparingDouble(p -> p.total(objective)));
        List<FrontPoint> front = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (FrontPoint point : sorted) {
            double value = point.total(objective);
            if (best == Double.POSITIVE_INFINITY || below(value, best)) {
                if (!front.isEmpty() && !below(front.get(front.size() - 1).total(resource), point.total(resource))) {
                    front.remove(front.size() - 1); // equal resource, lower objective: replaces it
                }
                front.add(point);
                best = value;
            }
        }
        return front;
    }

    /**
     * The non-dominated points over {@code objective} and {@code fronts} (one point per distinct
     * vector), sorted by the front metrics in order, then the objective.
     */
    public static List<FrontPoint> nonDominated(List<FrontPoint> points, int objective, int[] fronts) {
        int[] all = new int[fronts.length + 1];
        all[0] = objective;
        System.arraycopy(fronts, 0, all, 1, fronts.length);
        Comparator<FrontPoint> order = null;
        for (int m : fronts) {
            Comparator<FrontPoint> next = Comparator.comparingDouble(p -> p.total(m));
            order = order == null ? next : order.thenComparing(next);
        }
        Comparator<FrontPoint> byObjective = Comparator.comparingDouble(p -> p.total(objective));
        order = order == null ? byObjective : order.thenComparing(byObjective);
        List<FrontPoint> sorted = new ArrayList<>(points);
        sorted.sort(order);
        List<FrontPoint> kept = new ArrayList<>();
        for (FrontPoint candidate : sorted) {
            boolean dominated = false;
            for (FrontPoint other : kept) {
                if (dominates(other.totals(), candidate.totals(), all)
                        || same(other.totals(), candidate.totals(), all)) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                kept.removeIf(other -> dominates(candidate.totals(), other.totals(), all));
                kept.add(candidate);
            }
        }
        kept.sort(order);
        return kept;
    }

    /**
     * The hypervolume dominated by {@code points} (minimisation) up to {@code reference}: the
     * measure of the region of vectors that some point is no worse than and that are no worse than
     * the reference. Points not strictly better than the reference in every coordinate add nothing.
     * Exact, by slicing along the last coordinate (O(n^(d-1) log n) for n points in d dimensions).
     */
    public static double hypervolume(List<double[]> points, double[] reference) {
        List<double[]> inside = new ArrayList<>();
        for (double[] point : points) {
            boolean below = true;
            for (int k = 0; k < reference.length; k++) {
                below &= point[k] < reference[k];
            }
            if (below) {
                inside.add(point);
            }
        }
        return slice(inside, reference, reference.length);
    }

    private static double slice(List<double[]> points, double[] reference, int dimensions) {
        if (points.isEmpty()) {
            return 0;
        }
        if (dimensions == 1) {
            double min = Double.POSITIVE_INFINITY;
            for (double[] point : points) {
                min = Math.min(min, point[0]);
            }
            return reference[0] - min;
        }
        int axis = dimensions - 1;
        List<double[]> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(p -> p[axis]));
        double volume = 0;
        for (int i = 0; i < sorted.size(); i++) {
            double top = i + 1 < sorted.size() ? sorted.get(i + 1)[axis] : reference[axis];
            double height = top - sorted.get(i)[axis];
            if (height > 0) {
                volume += height * slice(sorted.subList(0, i + 1), reference, dimensions - 1);
            }
        }
        return volume;
    }
}
