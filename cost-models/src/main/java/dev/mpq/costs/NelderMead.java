package dev.mpq.costs;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/**
 * Derivative-free minimisation (Nelder and Mead 1965, standard coefficients: reflection 1, expansion
 * 2, contraction 0.5, shrink 0.5), deterministic. Used by {@link Calibrator} in log-parameter space,
 * where the roofline's max() makes the objective non-smooth.
 */
final class NelderMead {

    private NelderMead() {}

    /** A minimum found: the point and its value. */
    record Result(double[] point, double value, int evaluations) {}

    /**
     * Minimises {@code f} from {@code start} with an initial simplex of side {@code step}; stops when
     * the simplex values differ by less than {@code tolerance} (absolute) or after {@code maxEvaluations}.
     */
    static Result minimize(
            ToDoubleFunction<double[]> f, double[] start, double step, double tolerance, int maxEvaluations) {
        int n = start.length;
        double[][] simplex = new double[n + 1][];
        double[] values = new double[n + 1];
        simplex[0] = start.clone();
        for (int i = 0; i < n; i++) {
            double[] vertex = start.clone();
            vertex[i] += step;
            simplex[i + 1] = vertex;
        }
        int evaluations = 0;
        for (int i = 0; i <= n; i++) {
            values[i] = f.applyAsDouble(simplex[i]);
            evaluations++;
        }
        Integer[] order = new Integer[n + 1];
        while (evaluations < maxEvaluations) {
            for (int i = 0; i <= n; i++) {
                order[i] = i;
            }
            final double[] v = values;
            Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
            double[][] sortedSimplex = new double[n + 1][];
            double[] sortedValues = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                sortedSimplex[i] = simplex[order[i]];
                sortedValues[i] = values[order[i]];
            }
            simplex = sortedSimplex;
            values = sortedValues;
            if (Math.abs(values[n] - values[0]) <= tolerance) {
                break;
            }
            double[] centroid = new double[n];
            for (int i = 0; i < n; i++) {
                for (int d = 0; d < n; d++) {
                    centroid[d] += simplex[i][d] / n;
                }
            }
            double[] reflected = along(centroid, simplex[n], -1);
            double fr = f.applyAsDouble(reflected);
            evaluations++;
            if (fr < values[0]) {
                double[] expanded = along(centroid, simplex[n], -2);
                double fe = f.applyAsDouble(expanded);
                evaluations++;
                if (fe < fr) {
                    simplex[n] = expanded;
                    values[n] = fe;
                } else {
                    simplex[n] = reflected;
                    values[n] = fr;
                }
            } else if (fr < values[n - 1]) {
                simplex[n] = reflected;
                values[n] = fr;
            } else {
                boolean outside = fr < values[n];
                double[] contracted = along(centroid, simplex[n], outside ? -0.5 : 0.5);
                double fc = f.applyAsDouble(contracted);
                evaluations++;
                if (fc < Math.min(fr, values[n])) {
                    simplex[n] = contracted;
                    values[n] = fc;
                } else {
                    for (int i = 1; i <= n; i++) {
                        for (int d = 0; d < n; d++) {
                            simplex[i][d] = simplex[0][d] + 0.5 * (simplex[i][d] - simplex[0][d]);
                        }
                        values[i] = f.applyAsDouble(simplex[i]);
                        evaluations++;
                    }
                }
            }
        }
        int best = 0;
        for (int i = 1; i <= n; i++) {
            if (values[i] < values[best]) {
                best = i;
            }
        }
        return new Result(simplex[best].clone(), values[best], evaluations);
    }

    /** centroid + t x (vertex - centroid). */
    private static double[] along(double[] centroid, double[] vertex, double t) {
        double[] point = new double[centroid.length];
        for (int d = 0; d < point.length; d++) {
            point[d] = centroid[d] + t * (vertex[d] - centroid[d]);
        }
        return point;
    }
}
