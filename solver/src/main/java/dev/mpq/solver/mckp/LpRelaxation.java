package dev.mpq.solver.mckp;

/**
 * The linear-programming relaxation of a {@link MultipleChoiceKnapsack}, solved once for every
 * budget (Sinha and Zoltners): the lower convex hull of each block in the (resource, objective)
 * plane gives increments (move one block to its next hull vertex) with decreasing efficiency
 * {@code -dp/dr}; sorted over all blocks, the LP optimum at budget B takes the increments in order
 * until the budget is spent, the last one fractionally. The efficiency of that critical increment
 * is the optimal Lagrange multiplier of the budget.
 *
 * <p>Construction is O(m log m) for m candidates; {@link #lambda} and {@link #bound} answer a budget
 * in O(log m); {@link #greedy} builds a feasible configuration in O(m).
 */
public final class LpRelaxation {

    private final MultipleChoiceKnapsack knapsack;
    /** Increments sorted by efficiency, descending. */
    private final double[] efficiency;

    private final double[] deltaR;
    private final double[] deltaP;
    private final int[] from;
    private final int[] to;
    /** cumR[t], cumP[t]: shifted resource / objective change of the first t increments. */
    private final double[] cumR;

    private final double[] cumP;
    /** Flat index of each block's first hull vertex (smallest resource, then smallest objective). */
    private final int[] hullStart;

    private final double startP;

    public LpRelaxation(MultipleChoiceKnapsack knapsack) {
        this.knapsack = knapsack;
        int blocks = knapsack.blocks;
        double[] sp = knapsack.shiftedP;
        double[] sr = knapsack.shiftedR;
        hullStart = new int[blocks];
        int capacity = knapsack.totalCandidates();
        double[] eff = new double[capacity];
        double[] dr = new double[capacity];
        double[] dp = new double[capacity];
        int[] fr = new int[capacity];
        int[] tt = new int[capacity];
        int m = 0;
        double sumStartP = 0;
        int[] hull = new int[capacity];
        for (int b = 0; b < blocks; b++) {
            int lo = knapsack.start[b];
            int hi = knapsack.start[b + 1];
            int count = hi - lo;
            double[] key = new double[count];
            for (int j = 0; j < count; j++) {
                // sort by resource, then objective: objective breaks ties through a tiny offset
                key[j] = sr[lo + j];
            }
            int[] order = IndexSort.ascending(key);
            // stable sort by resource; among equal resource keep the smallest objective first
            int size = 0;
            for (int o = 0; o < count; o++) {
                int q = lo + order[o];
                if (size > 0) {
                    int last = hull[size - 1];
                    if (sr[q] == sr[last]) {
                        if (sp[q] < sp[last]) {
                            size--; // same resource, better objective: replace
                        } else {
                            continue;
                        }
                    } else if (sp[q] >= sp[hull[size - 1]]) {
                        continue; // more resource, no better objective: dominated
                    }
                }
                while (size >= 2) {
                    int h2 = hull[size - 2];
                    int h1 = hull[size - 1];
                    // pop h1 unless efficiency strictly decreases: e(h2,h1) > e(h1,q)
                    double left = (sp[h2] - sp[h1]) * (sr[q] - sr[h1]);
                    double right = (sp[h1] - sp[q]) * (sr[h1] - sr[h2]);
                    if (left <= right) {
                        size--;
                    } else {
                        break;
                    }
                }
                hull[size++] = q;
            }
            hullStart[b] = hull[0];
            sumStartP += sp[hull[0]];
            for (int h = 0; h + 1 < size; h++) {
                int a = hull[h];
                int c = hull[h + 1];
                dr[m] = sr[c] - sr[a];
                dp[m] = sp[c] - sp[a];
                eff[m] = -dp[m] / dr[m];
                fr[m] = a;
                tt[m] = c;
                m++;
            }
        }
        double[] negative = new double[m];
        for (int i = 0; i < m; i++) {
            negative[i] = -eff[i];
        }
        int[] order = IndexSort.ascending(negative);
        efficiency = new double[m];
        deltaR = new double[m];
        deltaP = new double[m];
        from = new int[m];
        to = new int[m];
        cumR = new double[m + 1];
        cumP = new double[m + 1];
        for (int i = 0; i < m; i++) {
            int s = order[i];
            efficiency[i] = eff[s];
            deltaR[i] = dr[s];
            deltaP[i] = dp[s];
            from[i] = fr[s];
            to[i] = tt[s];
            cumR[i + 1] = cumR[i] + dr[s];
            cumP[i + 1] = cumP[i] + dp[s];
        }
        startP = sumStartP;
    }

    public MultipleChoiceKnapsack knapsack() {
        return knapsack;
    }

    /** Number of hull increments over all blocks. */
    public int increments() {
        return efficiency.length;
    }

    /** Index of the critical increment at a shifted budget, or {@link #increments()} if none. */
    private int critical(double shiftedBudget) {
        int lo = 0;
        int hi = efficiency.length; // answer in [0, m]: first t with cumR[t+1] > budget
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumR[mid + 1] > shiftedBudget) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * The optimal Lagrange multiplier of the budget (objective per unit of resource); 0 when the
     * budget is not binding.
     */
    public double lambda(double budget) {
        int t = critical(budget - knapsack.baseR);
        return t == efficiency.length ? 0.0 : efficiency[t];
    }

    /**
     * The LP optimum at a budget: a lower bound on every configuration within it; +inf below the
     * smallest resource.
     */
    public double bound(double budget) {
        double shifted = budget - knapsack.baseR;
        if (shifted < 0) {
            return Double.POSITIVE_INFINITY;
        }
        int t = critical(shifted);
        double value = startP + cumP[t];
        if (t < efficiency.length) {
            value += (shifted - cumR[t]) / deltaR[t] * deltaP[t];
        }
        return knapsack.baseP + Math.max(0.0, value);
    }

    /**
     * A feasible configuration near the LP optimum (candidate index per block), or null below the
     * smallest resource: every increment before the critical one, then each later increment that
     * continues its block's hull and still fits.
     */
    public int[] greedy(double budget) {
        double shifted = budget - knapsack.baseR;
        if (shifted < 0) {
            return null;
        }
        int[] at = hullStart.clone();
        int t = critical(shifted);
        int[] blockOf = knapsack.blockOf;
        for (int s = 0; s < t; s++) {
            at[blockOf[from[s]]] = to[s];
        }
        fill(at, shifted - cumR[t], t + 1);
        int[] choice = new int[knapsack.blocks];
        for (int b = 0; b < knapsack.blocks; b++) {
            choice[b] = at[b] - knapsack.start[b];
        }
        return choice;
    }

    /**
     * Spends {@code slack} on the increments from {@code first} on (in efficiency order) that
     * continue their block's current vertex {@code at[block]} (flat indices) and fit; returns the
     * slack left.
     */
    double fill(int[] at, double slack, int first) {
        int[] blockOf = knapsack.blockOf;
        for (int s = first; s < efficiency.length && slack > 0; s++) {
            int b = blockOf[from[s]];
            if (at[b] == from[s] && deltaR[s] <= slack) {
                at[b] = to[s];
                slack -= deltaR[s];
            }
        }
        return slack;
    }

    /** The critical increment at a budget (see {@link #lambda}); {@link #increments()} if none. */
    int criticalIndex(double budget) {
        return critical(budget - knapsack.baseR);
    }

    /** Shifted resource at which the LP reaches the smallest objective (the end of the useful range). */
    public double saturation() {
        return knapsack.baseR + cumR[efficiency.length];
    }
}
