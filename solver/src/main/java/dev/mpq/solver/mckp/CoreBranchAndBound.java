package dev.mpq.solver.mckp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact solution of a {@link MultipleChoiceKnapsack} at one budget: Lagrangian reduced costs from
 * the LP multiplier and an expanding core (after Pisinger's minimal algorithm for the multiple-choice
 * knapsack, 1995).
 *
 * <ol>
 *   <li>λ = the LP multiplier at the budget ({@link LpRelaxation#lambda}). Every block takes its
 *       candidate of smallest {@code p + λ r} (ties: smaller resource); the reduced cost of another
 *       candidate is how much larger its {@code p + λ r} is. For every configuration x within the
 *       budget, {@code P(x) >= L(λ) + Σ reduced costs of x}, where {@code L(λ) = Σ min(p + λ r) -
 *       λ B} is the Lagrangian bound.
 *   <li>The blocks whose cheapest alternative has a reduced cost below the current gap (incumbent
 *       minus bound) form the core candidates, sorted by that reduced cost.
 *   <li>A dynamic program over the core adds one block at a time to a list of states (partial
 *       choices, the other blocks at their λ-choice) kept sorted by resource with strictly
 *       decreasing objective (dominance). A state s has the bound {@code lb(s) = P(s) + λ (R(s) -
 *       B)}; states with {@code lb >= incumbent} are dropped, states within the budget improve the
 *       incumbent.
 *   <li>It stops when the smallest bound of a state plus the smallest reduced cost among the blocks
 *       not yet in the core reaches the incumbent: no configuration left can be strictly better,
 *       so the incumbent is optimal (the smallest objective; among equals the smallest resource
 *       found).
 * </ol>
 *
 * <p>If the states outgrow {@code stateLimit} the search stops and reports the incumbent with its
 * proven gap {@code (incumbent - min lb) / incumbent}. Arithmetic runs on shifted values (see
 * {@link MultipleChoiceKnapsack}) with a safety margin of 1e-12 relative on every pruning test, so
 * "optimal" means optimal to that relative precision in double arithmetic.
 */
public final class CoreBranchAndBound {

    /** Relative margin of the pruning tests and of budget feasibility. */
    public static final double MARGIN = 1e-12;

    private final MultipleChoiceKnapsack knapsack;
    private final LpRelaxation lp;
    private final int stateLimit;

    public CoreBranchAndBound(LpRelaxation lp, int stateLimit) {
        this.knapsack = lp.knapsack();
        this.lp = lp;
        this.stateLimit = stateLimit;
    }

    /**
     * The result at one budget.
     *
     * @param candidates a candidate index per block, or null if the budget is below the smallest
     *     resource
     * @param objective the objective total (summed in block order)
     * @param resource the resource total (summed in block order)
     * @param lowerBound a proven lower bound on the optimum
     * @param gap the proven relative gap, 0 = optimal
     * @param coreBlocks blocks that entered the core
     * @param maxStates the largest state list
     */
    public record Solution(
            int[] candidates,
            double objective,
            double resource,
            double lowerBound,
            double gap,
            int coreBlocks,
            int maxStates) {}

    public Solution solve(double budget) {
        MultipleChoiceKnapsack k = knapsack;
        int blocks = k.blocks;
        int[] start = k.start;
        double[] sp = k.shiftedP;
        double[] sr = k.shiftedR;
        double shiftedBudget = budget - k.baseR;
        double feasibleUpTo = shiftedBudget + MARGIN * Math.abs(budget);
        if (feasibleUpTo < 0) {
            return new Solution(null, Double.NaN, Double.NaN, Double.POSITIVE_INFINITY, Double.NaN, 0, 0);
        }
        // reachable totals lie on the lattice of the resource grain: round the budget down to it
        double effective = k.latticeFloor(feasibleUpTo);
        if (effective < shiftedBudget) {
            shiftedBudget = effective;
            feasibleUpTo = effective;
        }
        double lambda = lp.lambda(k.baseR + shiftedBudget);

        // 1. the λ-choice of every block, reduced costs and the Lagrangian bound
        int[] opt = new int[blocks];
        double[] rc = new double[k.totalCandidates()];
        double[] cheapest = new double[blocks];
        double[] cheapestDown = new double[blocks];
        double sumMin = 0;
        double p0 = 0;
        double r0 = 0;
        for (int b = 0; b < blocks; b++) {
            int best = start[b];
            double bestValue = sp[best] + lambda * sr[best];
            for (int j = start[b] + 1; j < start[b + 1]; j++) {
                double v = sp[j] + lambda * sr[j];
                if (v < bestValue
                        || (v == bestValue && (sr[j] < sr[best] || (sr[j] == sr[best] && sp[j] < sp[best])))) {
                    best = j;
                    bestValue = v;
                }
            }
            opt[b] = best;
            sumMin += bestValue;
            p0 += sp[best];
            r0 += sr[best];
            double any = Double.POSITIVE_INFINITY;
            double down = Double.POSITIVE_INFINITY;
            for (int j = start[b]; j < start[b + 1]; j++) {
                double reduced = Math.max(0.0, sp[j] + lambda * sr[j] - bestValue);
                rc[j] = reduced;
                if (j != best) {
                    any = Math.min(any, reduced);
                    if (sr[j] < sr[best]) {
                        down = Math.min(down, reduced);
                    }
                }
            }
            cheapest[b] = any;
            cheapestDown[b] = down;
        }
        double lagrangian = sumMin - lambda * shiftedBudget;
        double eps = MARGIN * (Math.abs(p0) + lambda * (Math.abs(r0) + Math.abs(shiftedBudget))) + Double.MIN_NORMAL;

        // incumbent: the λ-solution with its slack spent greedily on the increments after the
        // critical one (the LP repair); the plain LP repair if the λ-solution does not fit
        double upper = Double.POSITIVE_INFINITY;
        double upperR = Double.POSITIVE_INFINITY;
        int[] incumbent;
        if (r0 <= feasibleUpTo) {
            int[] at = opt.clone();
            lp.fill(at, feasibleUpTo - r0, lp.criticalIndex(k.baseR + shiftedBudget));
            incumbent = new int[blocks];
            for (int b = 0; b < blocks; b++) {
                incumbent[b] = at[b] - start[b];
            }
        } else {
            incumbent = lp.greedy(budget);
        }
        if (incumbent != null) {
            upper = 0;
            upperR = 0;
            for (int b = 0; b < blocks; b++) {
                upper += sp[start[b] + incumbent[b]];
                upperR += sr[start[b] + incumbent[b]];
            }
        }
        if (r0 <= feasibleUpTo && p0 <= upper) {
            upper = p0;
            upperR = r0;
            incumbent = null; // = opt
        }

        // 2. core candidates sorted by their cheapest reduced cost; the cheapest move (and the
        //    cheapest move that lowers the resource) among the blocks from position i on
        int[] order = new int[blocks];
        int candidates = 0;
        double window = upper - lagrangian + eps;
        for (int b = 0; b < blocks; b++) {
            if (cheapest[b] < window) {
                order[candidates++] = b;
            }
        }
        IndexSort.sort(order, cheapest, candidates);
        double[] suffixMin = new double[candidates + 1];
        double[] suffixDown = new double[candidates + 1];
        // blocks outside the candidates cost at least the window: the suffix never exceeds it
        suffixMin[candidates] = window;
        suffixDown[candidates] = window;
        for (int i = candidates - 1; i >= 0; i--) {
            suffixMin[i] = Math.min(cheapest[order[i]], suffixMin[i + 1]);
            suffixDown[i] = Math.min(cheapestDown[order[i]], suffixDown[i + 1]);
        }

        // 3. the dynamic program over the core. A state is kept only while some completion with a
        //    further move could beat the incumbent: lb + (cheapest remaining move) < incumbent,
        //    where a state over the budget needs a move that lowers the resource.
        double[] curP = {p0};
        double[] curR = {r0};
        double[] curLb = {lagrangian};
        int n = 1;
        double[] nextP = new double[16];
        double[] nextR = new double[16];
        double[] nextLb = new double[16];
        int[] nextParent = new int[16];
        int[] nextOffset = new int[16];
        List<int[]> parents = new ArrayList<>();
        List<int[]> offsets = new ArrayList<>();
        int[] coreOrder = new int[candidates];
        int[] bestOffsets = new int[candidates];
        int bestCore = incumbent == null ? 0 : -1; // stages of the incumbent's path; -1: the greedy array
        int core = 0;
        double bestR = incumbent == null ? r0 : upperR;
        int maxStates = 1;
        boolean complete = true;
        double minLb = lagrangian;
        double minFuture = r0 <= feasibleUpTo ? lagrangian + suffixMin[0] : lagrangian + suffixDown[0];
        int[] heads = new int[16];
        int[] js = new int[16];
        for (int i = 0; i < candidates; i++) {
            if (n == 0 || minFuture >= upper + eps) {
                break; // nothing left can beat the incumbent
            }
            int b = order[i];
            int count = 0;
            double admit = upper + eps - minLb;
            for (int j = start[b]; j < start[b + 1]; j++) {
                if (j == opt[b] || rc[j] < admit) {
                    if (count == js.length) {
                        js = Arrays.copyOf(js, count * 2);
                        heads = Arrays.copyOf(heads, count * 2);
                    }
                    js[count++] = j;
                }
            }
            if (count == 1) {
                continue;
            }
            long want = Math.min((long) n * count, stateLimit + 1L);
            if (nextP.length < want) {
                int capacity = (int) Math.min(Math.max(want, 2L * nextP.length), stateLimit + 1L);
                nextP = new double[capacity];
                nextR = new double[capacity];
                nextLb = new double[capacity];
            }
            if (nextParent.length < want) {
                int capacity = (int) Math.min(Math.max(want, 2L * nextParent.length), stateLimit + 1L);
                nextParent = new int[capacity];
                nextOffset = new int[capacity];
            }
            Arrays.fill(heads, 0, count, 0);
            int o = opt[b];
            double needAny = suffixMin[i + 1];
            double needDown = suffixDown[i + 1];
            int size = 0;
            double sweepBest = Double.POSITIVE_INFINITY;
            double newMinLb = Double.POSITIVE_INFINITY;
            double newMinFuture = Double.POSITIVE_INFINITY;
            boolean overflow = false;
            while (true) {
                int pick = -1;
                double pr = 0;
                double pp = 0;
                for (int c = 0; c < count; c++) {
                    int h = heads[c];
                    if (h < n) {
                        int j = js[c];
                        double vr = curR[h] + (sr[j] - sr[o]);
                        double vp = curP[h] + (sp[j] - sp[o]);
                        if (pick < 0 || vr < pr || (vr == pr && vp < pp)) {
                            pick = c;
                            pr = vr;
                            pp = vp;
                        }
                    }
                }
                if (pick < 0) {
                    break;
                }
                int s = heads[pick]++;
                int j = js[pick];
                double lb = curLb[s] + rc[j];
                if (lb >= upper + eps) {
                    continue;
                }
                if (sweepBest != Double.POSITIVE_INFINITY && !(pp < sweepBest - MARGIN * Math.abs(sweepBest))) {
                    continue; // dominated: a state with no more resource has no larger objective
                }
                sweepBest = pp;
                boolean fits = pr <= feasibleUpTo;
                if (fits && (pp < upper || (pp == upper && pr < bestR))) {
                    upper = pp;
                    bestR = pr;
                    incumbent = null;
                    bestCore = core + 1;
                    bestOffsets[core] = j - start[b];
                    int at = s;
                    for (int stage = core - 1; stage >= 0; stage--) {
                        bestOffsets[stage] = offsets.get(stage)[at];
                        at = parents.get(stage)[at];
                    }
                }
                double future = lb + (fits ? needAny : needDown);
                if (future >= upper + eps) {
                    continue; // no further move can make it beat the incumbent
                }
                if (size == stateLimit) {
                    overflow = true;
                    break;
                }
                nextP[size] = pp;
                nextR[size] = pr;
                nextLb[size] = lb;
                nextParent[size] = s;
                nextOffset[size] = j - start[b];
                newMinLb = Math.min(newMinLb, lb);
                newMinFuture = Math.min(newMinFuture, future);
                size++;
            }
            if (overflow) {
                complete = false; // minLb still bounds every completion of the previous stage's states
                break;
            }
            coreOrder[core++] = b;
            parents.add(Arrays.copyOf(nextParent, size));
            offsets.add(Arrays.copyOf(nextOffset, size));
            double[] swap = curP;
            curP = nextP;
            nextP = swap.length >= 16 ? swap : new double[16];
            swap = curR;
            curR = nextR;
            nextR = swap.length >= 16 ? swap : new double[16];
            swap = curLb;
            curLb = nextLb;
            nextLb = swap.length >= 16 ? swap : new double[16];
            n = size;
            maxStates = Math.max(maxStates, size);
            minLb = size == 0 ? Double.POSITIVE_INFINITY : newMinLb;
            minFuture = newMinFuture;
        }

        // 4. the answer
        int[] result;
        if (incumbent != null) {
            result = incumbent.clone();
        } else {
            result = new int[blocks];
            for (int b = 0; b < blocks; b++) {
                result[b] = opt[b] - start[b];
            }
            for (int stage = 0; stage < bestCore; stage++) {
                result[coreOrder[stage]] = bestOffsets[stage];
            }
        }
        double objective = k.objectiveOf(result);
        double resource = k.resourceOf(result);
        double lowerShifted = complete ? upper : Math.min(upper, minLb);
        double lowerBound = k.baseP + Math.max(0.0, lowerShifted);
        double gap = complete || objective <= 0 ? 0.0 : Math.max(0.0, (objective - lowerBound) / objective);
        return new Solution(result, objective, resource, lowerBound, gap, core, maxStates);
    }
}
