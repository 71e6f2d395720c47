package dev.mpq.solver.mckp;

import dev.mpq.solver.TieBlocks;

/**
 * The additive two-metric core of a problem: minimise the objective {@code p} summed over blocks
 * subject to a budget on the resource {@code r}, one candidate per block. Candidates are stored
 * flat: block {@code b} owns indices {@code start[b] .. start[b+1]-1}.
 *
 * <p>Values are kept <em>shifted</em>: every block's smallest objective and smallest resource are
 * subtracted ({@link #shiftedP}, {@link #shiftedR} are &gt;= 0, and 0 is reached in every block).
 * Bounds and reduced costs are computed on the shifted values, so their rounding error is relative
 * to what can still change, not to totals that may be orders of magnitude larger.
 */
public final class MultipleChoiceKnapsack {

    final int blocks;
    final int[] start;
    final double[] p;
    final double[] r;
    final double[] shiftedP;
    final double[] shiftedR;
    /** Sum over blocks of the smallest objective / resource. */
    final double baseP;

    final double baseR;
    /**
     * The resource grain: every shifted resource is an integer multiple of it (0 = no common grain),
     * so every reachable total lies on the lattice {@code baseR + k * grain}.
     */
    final double grain;
    /** The block of every flat candidate index. */
    final int[] blockOf;

    private MultipleChoiceKnapsack(int[] start, double[] p, double[] r) {
        this.blocks = start.length - 1;
        this.start = start;
        this.p = p;
        this.r = r;
        this.shiftedP = new double[p.length];
        this.shiftedR = new double[r.length];
        double sumP = 0;
        double sumR = 0;
        for (int b = 0; b < blocks; b++) {
            double minP = Double.POSITIVE_INFINITY;
            double minR = Double.POSITIVE_INFINITY;
            for (int j = start[b]; j < start[b + 1]; j++) {
                minP = Math.min(minP, p[j]);
                minR = Math.min(minR, r[j]);
            }
            for (int j = start[b]; j < start[b + 1]; j++) {
                shiftedP[j] = p[j] - minP;
                shiftedR[j] = r[j] - minR;
            }
            sumP += minP;
            sumR += minR;
        }
        this.baseP = sumP;
        this.baseR = sumR;
        this.grain = grain(shiftedR);
        this.blockOf = new int[p.length];
        for (int b = 0; b < blocks; b++) {
            for (int j = start[b]; j < start[b + 1]; j++) {
                blockOf[j] = b;
            }
        }
    }

    /**
     * The largest g with every value an integer multiple of g, found exactly when the values are
     * dyadic rationals (integers times 2^-s, s &lt;= 30, below 2^52 when scaled); 0 otherwise.
     */
    static double grain(double[] values) {
        for (int s = 0; s <= 30; s++) {
            double scale = Math.scalb(1.0, s);
            long gcd = 0;
            boolean integral = true;
            for (double value : values) {
                double scaled = value * scale;
                if (scaled >= 0x1p52 || scaled != Math.rint(scaled)) {
                    integral = false;
                    break;
                }
                gcd = gcd(gcd, (long) scaled);
            }
            if (integral) {
                return gcd == 0 ? 0.0 : gcd / scale;
            }
            if (!integral && maxOf(values) * scale >= 0x1p52) {
                return 0.0;
            }
        }
        return 0.0;
    }

    private static double maxOf(double[] values) {
        double max = 0;
        for (double value : values) {
            max = Math.max(max, value);
        }
        return max;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** The largest reachable-lattice shifted budget within {@code shiftedBudget} (itself without a grain). */
    double latticeFloor(double shiftedBudget) {
        if (grain <= 0 || shiftedBudget < 0) {
            return shiftedBudget;
        }
        return Math.floor(shiftedBudget / grain) * grain;
    }

    /** The resource grain (0 = none); see the field. */
    public double grain() {
        return grain;
    }

    /** The knapsack of the tie blocks with {@code objective} minimised against {@code resource}. */
    public static MultipleChoiceKnapsack of(TieBlocks tieBlocks, int objective, int resource) {
        int n = tieBlocks.blockCount();
        int[] start = new int[n + 1];
        for (int b = 0; b < n; b++) {
            start[b + 1] = start[b] + tieBlocks.candidateCount(b);
        }
        double[] p = new double[start[n]];
        double[] r = new double[start[n]];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < tieBlocks.candidateCount(b); c++) {
                p[start[b] + c] = tieBlocks.value(b, c, objective);
                r[start[b] + c] = tieBlocks.value(b, c, resource);
            }
        }
        return new MultipleChoiceKnapsack(start, p, r);
    }

    /** A knapsack from raw arrays (tests and benchmarks). */
    public static MultipleChoiceKnapsack of(double[][] objective, double[][] resource) {
        int n = objective.length;
        int[] start = new int[n + 1];
        for (int b = 0; b < n; b++) {
            start[b + 1] = start[b] + objective[b].length;
        }
        double[] p = new double[start[n]];
        double[] r = new double[start[n]];
        for (int b = 0; b < n; b++) {
            System.arraycopy(objective[b], 0, p, start[b], objective[b].length);
            System.arraycopy(resource[b], 0, r, start[b], resource[b].length);
        }
        return new MultipleChoiceKnapsack(start, p, r);
    }

    public int blockCount() {
        return blocks;
    }

    public int candidateCount(int block) {
        return start[block + 1] - start[block];
    }

    public int totalCandidates() {
        return start[blocks];
    }

    public double objective(int block, int candidate) {
        return p[start[block] + candidate];
    }

    public double resource(int block, int candidate) {
        return r[start[block] + candidate];
    }

    /** Smallest total resource (every block at its smallest). */
    public double minResource() {
        return baseR;
    }

    /** Smallest total objective (every block at its smallest). */
    public double minObjective() {
        return baseP;
    }

    /** Objective total of a candidate per block, summed in block order. */
    public double objectiveOf(int[] candidates) {
        double sum = 0;
        for (int b = 0; b < blocks; b++) {
            sum += p[start[b] + candidates[b]];
        }
        return sum;
    }

    /** Resource total of a candidate per block, summed in block order. */
    public double resourceOf(int[] candidates) {
        double sum = 0;
        for (int b = 0; b < blocks; b++) {
            sum += r[start[b] + candidates[b]];
        }
        return sum;
    }

    /**
     * The configuration with the smallest objective (ties: smallest resource); its resource is the
     * upper end of the useful budget range.
     */
    public int[] minObjectiveConfiguration() {
        int[] choice = new int[blocks];
        for (int b = 0; b < blocks; b++) {
            int best = start[b];
            for (int j = start[b] + 1; j < start[b + 1]; j++) {
                if (p[j] < p[best] || (p[j] == p[best] && r[j] < r[best])) {
                    best = j;
                }
            }
            choice[b] = best - start[b];
        }
        return choice;
    }

    /** The configuration with the smallest resource (ties: smallest objective). */
    public int[] minResourceConfiguration() {
        int[] choice = new int[blocks];
        for (int b = 0; b < blocks; b++) {
            int best = start[b];
            for (int j = start[b] + 1; j < start[b + 1]; j++) {
                if (r[j] < r[best] || (r[j] == r[best] && p[j] < p[best])) {
                    best = j;
                }
            }
            choice[b] = best - start[b];
        }
        return choice;
    }
}
