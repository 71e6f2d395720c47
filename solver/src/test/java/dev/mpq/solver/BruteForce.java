package dev.mpq.solver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The oracle: every configuration of a small problem, checked one by one. */
final class BruteForce {

    private BruteForce() {}

    /** Every configuration that respects ties, pins and budgets, with its totals. */
    static List<FrontPoint> feasible(SearchProblem problem) {
        List<FrontPoint> result = new ArrayList<>();
        int n = problem.groups().size();
        int[] choice = new int[n];
        while (true) {
            FeasibilityChecker.Check check = FeasibilityChecker.check(problem, choice);
            if (check.feasible()) {
                result.add(new FrontPoint(choice, check.totals(), 0.0));
            }
            int g = 0;
            while (g < n && ++choice[g] == problem.groups().get(g).options().size()) {
                choice[g] = 0;
                g++;
            }
            if (g == n) {
                return result;
            }
        }
    }

    /** The smallest objective over the feasible configurations, or +inf. */
    static double optimum(SearchProblem problem) {
        int objective = problem.minimizeIndex();
        return feasible(problem).stream()
                .mapToDouble(p -> p.total(objective))
                .min()
                .orElse(Double.POSITIVE_INFINITY);
    }

    /**
     * The front of the objective against one metric: sorted by the metric, kept iff its objective
     * is strictly lower than every point with smaller or equal metric (as CONTRACTS.md defines it).
     */
    static List<double[]> front(SearchProblem problem, String metric) {
        int objective = problem.minimizeIndex();
        int resource = problem.metricIndex(metric);
        List<FrontPoint> all = feasible(problem);
        all.sort(Comparator.<FrontPoint>comparingDouble(p -> p.total(resource))
                .thenComparingDouble(p -> p.total(objective)));
        List<double[]> front = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (FrontPoint p : all) {
            if (p.total(objective) < best - 1e-12 * Math.abs(best) || best == Double.POSITIVE_INFINITY) {
                front.add(new double[] {p.total(resource), p.total(objective)});
                best = p.total(objective);
            }
        }
        return front;
    }

    /**
     * The non-dominated vectors over (objective, fronts...) of the feasible configurations, one per
     * distinct vector, each as [objective, front values...].
     */
    static List<double[]> nonDominated(SearchProblem problem, List<String> fronts) {
        int[] metrics = new int[fronts.size() + 1];
        metrics[0] = problem.minimizeIndex();
        for (int k = 0; k < fronts.size(); k++) {
            metrics[k + 1] = problem.metricIndex(fronts.get(k));
        }
        List<double[]> vectors = new ArrayList<>();
        for (FrontPoint p : feasible(problem)) {
            double[] v = new double[metrics.length];
            for (int k = 0; k < metrics.length; k++) {
                v[k] = p.total(metrics[k]);
            }
            vectors.add(v);
        }
        List<double[]> result = new ArrayList<>();
        for (double[] v : vectors) {
            boolean dominated = false;
            for (double[] w : vectors) {
                boolean noWorse = true;
                boolean better = false;
                for (int k = 0; k < v.length; k++) {
                    noWorse &= w[k] <= v[k] * (1 + 1e-12) + 1e-300;
                    better |= w[k] < v[k] * (1 - 1e-12);
                }
                if (noWorse && better) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated && result.stream().noneMatch(r -> same(r, v))) {
                result.add(v);
            }
        }
        return result;
    }

    static boolean same(double[] a, double[] b) {
        for (int k = 0; k < a.length; k++) {
            if (Math.abs(a[k] - b[k]) > 1e-9 * Math.max(Math.abs(a[k]), Math.abs(b[k]))) {
                return false;
            }
        }
        return true;
    }
}
