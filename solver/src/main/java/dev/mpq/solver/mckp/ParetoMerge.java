package dev.mpq.solver.mckp;

import java.util.Arrays;

/**
 * The complete Pareto front of a {@link MultipleChoiceKnapsack} (objective against resource) by a
 * dominance-pruned merge over the blocks: ZeroQ's dynamic program without a discretised resource,
 * so it is exact for real-valued costs.
 *
 * <p>The front after k blocks is a list of labels sorted by resource ascending with strictly
 * decreasing objective. Adding block k+1 shifts that list once per candidate; a k-way merge by
 * resource followed by a sweep that keeps a label only if its objective is strictly lower than
 * every label before it gives the next front. A budget on the resource prunes labels that cannot be
 * completed within it. Optimal substructure holds because both metrics are sums: a configuration
 * whose prefix is dominated is itself dominated.
 */
public final class ParetoMerge {

    /** Objectives closer than this (relative) count as equal: the noise of summing doubles. */
    public static final double EQUAL_RELATIVE = 1e-12;

    private ParetoMerge() {}

    /** The front with back-pointers through every stage. */
    public static final class Front {
        private final double[] resource;
        private final double[] objective;
        private final int[][] parent;
        private final int[][] candidate;
        private final long totalLabels;

        Front(double[] resource, double[] objective, int[][] parent, int[][] candidate, long totalLabels) {
            this.resource = resource;
            this.objective = objective;
            this.parent = parent;
            this.candidate = candidate;
            this.totalLabels = totalLabels;
        }

        public int size() {
            return resource.length;
        }

        public double resource(int index) {
            return resource[index];
        }

        public double objective(int index) {
            return objective[index];
        }

        public long totalLabels() {
            return totalLabels;
        }

        /** The candidate per block of the label at {@code index}. */
        public int[] candidates(int index) {
            int stages = candidate.length;
            int[] result = new int[stages];
            int at = index;
            for (int s = stages - 1; s >= 0; s--) {
                result[s] = candidate[s][at];
                at = parent[s][at];
            }
            return result;
        }
    }

    /**
     * The front within {@code budget}, or null when one stage would hold more than {@code
     * stageLimit} labels or all stages together more than {@code totalLimit}.
     */
    public static Front front(MultipleChoiceKnapsack k, double budget, int stageLimit, long totalLimit) {
        int stages = k.blocks;
        double[] minRest = new double[stages + 1];
        for (int b = stages - 1; b >= 0; b--) {
            double min = Double.POSITIVE_INFINITY;
            for (int j = k.start[b]; j < k.start[b + 1]; j++) {
                min = Math.min(min, k.r[j]);
            }
            minRest[b] = minRest[b + 1] + min;
        }
        double limit = budget + EQUAL_RELATIVE * Math.abs(budget);
        int[][] parent = new int[stages][];
        int[][] candidate = new int[stages][];
        double[] r = {0.0};
        double[] p = {0.0};
        long total = 0;
        int[] head = new int[8];
        for (int b = 0; b < stages; b++) {
            int lo = k.start[b];
            int count = k.start[b + 1] - lo;
            if (head.length < count) {
                head = new int[count];
            }
            Arrays.fill(head, 0, count, 0);
            int n = r.length;
            int capacity = (int) Math.min((long) n * count, stageLimit + 1L);
            double[] nr = new double[capacity];
            double[] np = new double[capacity];
            int[] par = new int[capacity];
            int[] cand = new int[capacity];
            int size = 0;
            double best = Double.POSITIVE_INFINITY;
            double rest = minRest[b + 1];
            while (true) {
                int pick = -1;
                double pr = 0;
                double pp = 0;
                for (int c = 0; c < count; c++) {
                    if (head[c] < n) {
                        double vr = r[head[c]] + k.r[lo + c];
                        double vp = p[head[c]] + k.p[lo + c];
                        if (pick < 0 || vr < pr || (vr == pr && vp < pp)) {
                            pick = c;
                            pr = vr;
                            pp = vp;
                        }
                    }
                }
                if (pick < 0 || pr + rest > limit) {
                    break;
                }
                if (best == Double.POSITIVE_INFINITY || pp < best - EQUAL_RELATIVE * Math.abs(best)) {
                    if (size == stageLimit) {
                        return null;
                    }
                    nr[size] = pr;
                    np[size] = pp;
                    par[size] = head[pick];
                    cand[size] = pick;
                    size++;
                    best = pp;
                }
                head[pick]++;
            }
            total += size;
            if (total > totalLimit) {
                return null;
            }
            r = Arrays.copyOf(nr, size);
            p = Arrays.copyOf(np, size);
            parent[b] = Arrays.copyOf(par, size);
            candidate[b] = Arrays.copyOf(cand, size);
        }
        return new Front(r, p, parent, candidate, total);
    }
}
