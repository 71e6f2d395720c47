package dev.mpq.costs;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Error statistics of predictions against measurements: MAPE and Spearman rank correlation. */
public final class Accuracy {

    private Accuracy() {}

    /** Mean absolute percentage error as a fraction: mean |predicted - measured| / measured. */
    public static double mape(double[] predicted, double[] measured) {
        check(predicted, measured);
        double sum = 0;
        for (int i = 0; i < predicted.length; i++) {
            sum += Math.abs(predicted[i] - measured[i]) / measured[i];
        }
        return sum / predicted.length;
    }

    /** The largest |predicted - measured| / measured. */
    public static double maxRelativeError(double[] predicted, double[] measured) {
        check(predicted, measured);
        double max = 0;
        for (int i = 0; i < predicted.length; i++) {
            max = Math.max(max, Math.abs(predicted[i] - measured[i]) / measured[i]);
        }
        return max;
    }

    /**
     * Spearman's rank correlation: the Pearson correlation of the ranks, tied values taking the mean of
     * their ranks. NaN when either side is constant or there are fewer than two points.
     */
    public static double spearman(double[] a, double[] b) {
        check(a, b);
        if (a.length < 2) {
            return Double.NaN;
        }
        return pearson(ranks(a), ranks(b));
    }

    /** Ranks 1..n, ties averaged. */
    static double[] ranks(double[] values) {
        int n = values.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = rank;
            }
            i = j + 1;
        }
        return ranks;
    }

    static double pearson(double[] x, double[] y) {
        int n = x.length;
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    private static void check(double[] a, double[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("Accuracy needs two non-empty series of equal length, got %d and %d."
                    .formatted(a.length, b.length));
        }
    }
}
