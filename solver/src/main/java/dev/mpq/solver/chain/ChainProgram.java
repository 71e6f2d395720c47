package dev.mpq.solver.chain;

import dev.mpq.solver.Group;
import dev.mpq.solver.SearchProblem;
import dev.mpq.solver.TieBlocks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact optimisation with transition costs: a dynamic program over the groups in document order.
 *
 * <p>After group g a label is a partial configuration with its totals (R = resource, P = objective,
 * transition costs included); labels are grouped by a <em>key</em>: the option id of group g (the
 * next transition depends on it) and the candidate of every tie block that has members on both
 * sides of g (ties across the chain must stay consistent). Within a key, labels are kept sorted by R
 * with strictly decreasing P (dominance: both metrics are sums, so a dominated prefix is never
 * needed). Labels that cannot meet the budget are dropped; with an upper bound U (a known feasible
 * objective), labels whose Lagrangian bound {@code P + λ (R - B) + V_λ(rest)} reaches U are dropped
 * too, where V_λ is a Viterbi pass from the end over {@code p + λ r} with transition cost {@code
 * c_p + λ c_r} on the same keys (ties exact), λ maximises the dual, and a few multipliers around λ
 * tighten the bound of labels far from the λ-path. The search deepens its target from the dual bound
 * upwards ({@link #optimum}).
 *
 * <p>Without a resource (no budget, no front) every key keeps one label: the program is exact
 * Viterbi with ties. The key space is the product of the open blocks' candidate counts times the
 * number of option ids; problems whose key space exceeds the limit are not supported.
 */
public final class ChainProgram {

    /** Relative margin of pruning and of budget feasibility. */
    static final double MARGIN = 1e-12;

    private final int groups;
    private final int ids;
    /** Per group g and candidate c of its block: objective, resource, id number, option index. */
    private final double[][] p;

    private final double[][] r;
    private final int[][] id;
    private final int[][] option;
    private final double objectiveSwitch;
    private final double resourceSwitch;
    /** Open blocks after g (ordered), their radices and multipliers; slot of each in open(g-1). */
    private final int[][] open;

    private final long[][] multiplier;
    private final int[][] radix;
    private final int[][] previousSlot;
    /** For group g: the slot of its block in open(g-1), or -1 if the block starts at g. */
    private final int[] ownSlot;

    private final double[] minRestR;
    private final long keySpace;

    /**
     * @param objective metric index minimised
     * @param resource metric index budgeted or fronted, or -1 for none
     */
    public ChainProgram(SearchProblem problem, int objective, int resource) {
        TieBlocks blocks = TieBlocks.of(problem);
        List<Group> list = problem.groups();
        groups = list.size();
        Map<String, Integer> idNumbers = new HashMap<>();
        int[] blockOf = new int[groups];
        int[] memberIndex = new int[groups];
        int[] first = new int[blocks.blockCount()];
        int[] last = new int[blocks.blockCount()];
        for (int b = 0; b < blocks.blockCount(); b++) {
            int[] members = blocks.members(b);
            first[b] = members[0];
            last[b] = members[members.length - 1];
            for (int k = 0; k < members.length; k++) {
                blockOf[members[k]] = b;
                memberIndex[members[k]] = k;
            }
        }
        p = new double[groups][];
        r = new double[groups][];
        id = new int[groups][];
        option = new int[groups][];
        for (int g = 0; g < groups; g++) {
            int b = blockOf[g];
            int count = blocks.candidateCount(b);
            p[g] = new double[count];
            r[g] = new double[count];
            id[g] = new int[count];
            option[g] = new int[count];
            for (int c = 0; c < count; c++) {
                int o = blocks.optionIndex(b, c, memberIndex[g]);
                option[g][c] = o;
                p[g][c] = list.get(g).options().get(o).value(objective);
                r[g][c] = resource < 0 ? 0.0 : list.get(g).options().get(o).value(resource);
                id[g][c] = idNumbers.computeIfAbsent(blocks.candidateId(b, c), key -> idNumbers.size());
            }
        }
        ids = idNumbers.size();
        String objectiveName = problem.metrics().get(objective);
        objectiveSwitch = problem.transitionCosts().getOrDefault(objectiveName, 0.0);
        resourceSwitch = resource < 0
                ? 0.0
                : problem.transitionCosts().getOrDefault(problem.metrics().get(resource), 0.0);
        open = new int[groups][];
        multiplier = new long[groups][];
        radix = new int[groups][];
        previousSlot = new int[groups][];
        ownSlot = new int[groups];
        long space = 1;
        for (int g = 0; g < groups; g++) {
            List<Integer> after = new ArrayList<>();
            for (int b = 0; b < blocks.blockCount(); b++) {
                if (first[b] <= g && g < last[b]) {
                    after.add(b);
                }
            }
            open[g] = after.stream().mapToInt(Integer::intValue).toArray();
            multiplier[g] = new long[open[g].length];
            radix[g] = new int[open[g].length];
            long m = ids;
            for (int i = 0; i < open[g].length; i++) {
                multiplier[g][i] = m;
                radix[g][i] = blocks.candidateCount(open[g][i]);
                m = Math.multiplyHigh(m, radix[g][i]) != 0 ? Long.MAX_VALUE : m * radix[g][i];
            }
            space = Math.max(space, m);
            previousSlot[g] = new int[open[g].length];
            for (int i = 0; i < open[g].length; i++) {
                previousSlot[g][i] = g == 0 ? -1 : indexOf(open[g - 1], open[g][i]);
            }
            ownSlot[g] = g == 0 ? -1 : indexOf(open[g - 1], blockOf[g]);
        }
        keySpace = space;
        minRestR = new double[groups + 1];
        for (int g = groups - 1; g >= 0; g--) {
            double min = Double.POSITIVE_INFINITY;
            for (double value : r[g]) {
                min = Math.min(min, value);
            }
            minRestR[g] = minRestR[g + 1] + min;
        }
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** Keys the program may need at one stage (option ids x open tie-block candidates). */
    public long keySpace() {
        return keySpace;
    }

    // ---------------------------------------------------------------- Lagrangian bound

    /** Keys after group g: option ids times the candidates of the blocks open after g. */
    private int keyCount(int g) {
        long count = ids;
        for (int value : radix[g]) {
            count *= value;
        }
        return (int) count;
    }

    /**
     * W[g][key]: the smallest {@code Σ p + λ r + switches (cp + λ cr)} of the groups after g, given
     * the key after g (ties exact); W[groups] holds the value from the start (key "none" = ids).
     */
    private double[][] suffix(double lambda) {
        double t = objectiveSwitch + lambda * resourceSwitch;
        double[][] w = new double[groups + 1][];
        w[groups - 1] = new double[keyCount(groups - 1)];
        for (int g = groups - 1; g >= 0; g--) {
            int before = g == 0 ? ids + 1 : keyCount(g - 1);
            double[] values = new double[before];
            for (int k = g == 0 ? ids : 0; k < before; k++) {
                int lastId = g == 0 ? ids : k % ids;
                int forced = ownSlot[g] >= 0 ? decode(k, g - 1, ownSlot[g]) : -1;
                double best = Double.POSITIVE_INFINITY;
                for (int c = 0; c < p[g].length; c++) {
                    if (forced >= 0 && c != forced) {
                        continue;
                    }
                    double value = p[g][c]
                            + lambda * r[g][c]
                            + (lastId != ids && id[g][c] != lastId ? t : 0.0)
                            + w[g][(int) encode(k, g, c)];
                    best = Math.min(best, value);
                }
                values[k] = best;
            }
            if (g == 0) {
                w[groups] = values;
            } else {
                w[g - 1] = values;
            }
        }
        return w;
    }

    /** The candidate per group of the path minimising the Lagrangian (ties exact), from W. */
    private int[] path(double lambda, double[][] w) {
        double t = objectiveSwitch + lambda * resourceSwitch;
        int[] candidates = new int[groups];
        long k = ids;
        for (int g = 0; g < groups; g++) {
            int lastId = g == 0 ? ids : (int) (k % ids);
            int forced = ownSlot[g] >= 0 ? decode(k, g - 1, ownSlot[g]) : -1;
            int pick = -1;
            double pickValue = Double.POSITIVE_INFINITY;
            for (int c = 0; c < p[g].length; c++) {
                if (forced >= 0 && c != forced) {
                    continue;
                }
                double value = p[g][c]
                        + lambda * r[g][c]
                        + (lastId != ids && id[g][c] != lastId ? t : 0.0)
                        + w[g][(int) encode(k, g, c)];
                if (pick < 0 || value < pickValue || (value == pickValue && r[g][c] < r[g][pick])) {
                    pick = c;
                    pickValue = value;
                }
            }
            candidates[g] = pick;
            k = encode(k, g, pick);
        }
        return candidates;
    }

    /** The resource of the Lagrangian path at λ. */
    private double pathResource(double lambda, double[][] w) {
        int[] candidates = path(lambda, w);
        double total = 0;
        for (int g = 0; g < groups; g++) {
            int c = candidates[g];
            total += r[g][c] + (g > 0 && id[g][c] != id[g - 1][candidates[g - 1]] ? resourceSwitch : 0.0);
        }
        return total;
    }

    /** λ maximising the dual {@code V_λ - λ B} (ties relaxed), by bisection on its subgradient. */
    public double lambda(double budget) {
        double limit = budget + MARGIN * Math.abs(budget);
        if (pathResource(0, suffix(0)) <= limit) {
            return 0;
        }
        double high = 1;
        for (int i = 0; i < 200 && pathResource(high, suffix(high)) > limit; i++) {
            if (high * 16 == Double.POSITIVE_INFINITY) {
                return high; // the budget is met only up to rounding: any finite λ gives a valid bound
            }
            high *= 16;
        }
        double low = high;
        for (int i = 0; i < 300 && low > 1e-300 && pathResource(low, suffix(low)) <= limit; i++) {
            low /= 16;
        }
        for (int i = 0; i < 200 && high > low * (1 + 1e-12); i++) {
            double mid = Math.sqrt(low * high);
            if (pathResource(mid, suffix(mid)) > limit) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return dual(low, budget) >= dual(high, budget) ? low : high;
    }

    /** The Lagrangian dual value at λ: a lower bound on every configuration within the budget. */
    public double dual(double lambda, double budget) {
        return suffix(lambda)[groups][ids] - lambda * budget;
    }

    /** Option index per group of the path minimising {@code p + λ r} with transitions, ties exact. */
    int[] lagrangianPath(double lambda) {
        int[] candidates = path(lambda, suffix(lambda));
        int[] choices = new int[groups];
        for (int g = 0; g < groups; g++) {
            choices[g] = option[g][candidates[g]];
        }
        return choices;
    }

    /** Totals of a configuration (option index per group) as this program counts them. */
    private double[] totalsOf(int[] choices) {
        double pp = 0;
        double rr = 0;
        int lastId = -1;
        for (int g = 0; g < groups; g++) {
            int c = candidateOf(g, choices[g]);
            pp += p[g][c];
            rr += r[g][c];
            if (g > 0 && id[g][c] != lastId) {
                pp += objectiveSwitch;
                rr += resourceSwitch;
            }
            lastId = id[g][c];
        }
        return new double[] {pp, rr};
    }

    private double objectiveOf(int[] choices) {
        return totalsOf(choices)[0];
    }

    private int candidateOf(int g, int optionIndex) {
        for (int c = 0; c < option[g].length; c++) {
            if (option[g][c] == optionIndex) {
                return c;
            }
        }
        throw new IllegalArgumentException("option " + optionIndex + " is not a candidate of group " + g);
    }

    /**
     * The Lagrangian heuristic: the smallest λ' >= λ (bisection) whose exact Lagrangian path fits the
     * budget; null if even the resource-minimal path does not fit.
     */
    int[] lagrangianHeuristic(double budget, double lambda) {
        double limit = budget + MARGIN * Math.abs(budget);
        double low = lambda;
        double high = Math.max(lambda, 1e-300) * 2;
        int[] fit = null;
        for (int i = 0; i < 200 && Double.isFinite(high); i++) {
            int[] path = lagrangianPath(high);
            if (totalsOf(path)[1] <= limit) {
                fit = path;
                break;
            }
            low = high;
            high *= 4;
        }
        if (fit == null) {
            return null;
        }
        int[] at = lagrangianPath(low);
        if (totalsOf(at)[1] <= limit) {
            return at;
        }
        for (int i = 0; i < 60 && high > low * (1 + 1e-9); i++) {
            double mid = Math.sqrt(low * high);
            int[] path = lagrangianPath(mid);
            if (totalsOf(path)[1] <= limit) {
                high = mid;
                fit = path;
            } else {
                low = mid;
            }
        }
        return fit;
    }

    // ---------------------------------------------------------------- the dynamic program

    /** Labels of one stage: per key, arrays sorted by resource with decreasing objective. */
    private static final class Stage {
        final Map<Long, int[]> byKey = new HashMap<>();
        double[] resource = new double[16];
        double[] objective = new double[16];
        int[] parent = new int[16];
        int[] candidate = new int[16];
        long[] key = new long[16];
        int size;

        void add(double rr, double pp, int from, int c, long k) {
            if (size == resource.length) {
                int capacity = size * 2;
                resource = Arrays.copyOf(resource, capacity);
                objective = Arrays.copyOf(objective, capacity);
                parent = Arrays.copyOf(parent, capacity);
                candidate = Arrays.copyOf(candidate, capacity);
                key = Arrays.copyOf(key, capacity);
            }
            resource[size] = rr;
            objective[size] = pp;
            parent[size] = from;
            candidate[size] = c;
            key[size] = k;
            size++;
        }
    }

    /** The labels of the last stage with back-pointers, or null when a stage outgrew the limit. */
    private Stage[] run(double budget, double lambda, double upper, long labelLimit) {
        double limit = budget + MARGIN * Math.abs(budget);
        double[][] v = upper == Double.POSITIVE_INFINITY ? null : suffix(lambda);
        // more multipliers around λ: a label far from the λ-path's resource profile gets its own
        double[] others = v == null || lambda == 0 ? new double[0] : new double[] {0.5, 0.7, 0.85, 1.2, 1.5, 2.2};
        double[][][] extra = new double[others.length][][];
        for (int i = 0; i < others.length; i++) {
            others[i] *= lambda;
            extra[i] = suffix(others[i]);
        }
        double eps = upper == Double.POSITIVE_INFINITY
                ? 0
                : MARGIN * (Math.abs(upper) + lambda * Math.abs(budget)) + Double.MIN_NORMAL;
        Stage[] stages = new Stage[groups];
        Stage previous = new Stage();
        previous.add(0, 0, -1, -1, ids); // the empty prefix: no previous id
        long total = 0;
        Stage candidates = new Stage();
        for (int g = 0; g < groups; g++) {
            candidates.size = 0;
            for (int s = 0; s < previous.size; s++) {
                long k = previous.key[s];
                int lastId = g == 0 ? ids : (int) (k % ids);
                int forced = ownSlot[g] >= 0 ? decode(k, g - 1, ownSlot[g]) : -1;
                for (int c = 0; c < p[g].length; c++) {
                    if (forced >= 0 && c != forced) {
                        continue;
                    }
                    boolean change = lastId != ids && id[g][c] != lastId;
                    double rr = previous.resource[s] + r[g][c] + (change ? resourceSwitch : 0.0);
                    if (rr + minRestR[g + 1] > limit) {
                        continue;
                    }
                    double pp = previous.objective[s] + p[g][c] + (change ? objectiveSwitch : 0.0);
                    long next = encode(k, g, c);
                    if (v != null) {
                        double bound = pp + lambda * (rr - budget) + v[g][(int) next];
                        for (int i = 0; i < others.length && bound < upper + eps; i++) {
                            bound = Math.max(bound, pp + others[i] * (rr - budget) + extra[i][g][(int) next]);
                        }
                        if (bound >= upper + eps) {
                            continue;
                        }
                    }
                    candidates.add(rr, pp, s, c, next);
                }
            }
            Stage current = sweep(candidates);
            total += current.size;
            if (total > labelLimit) {
                return null;
            }
            stages[g] = current;
            previous = current;
        }
        return stages;
    }

    /** Groups candidates by key, sorts each by resource (then objective) and keeps the front. */
    private static Stage sweep(Stage candidates) {
        Integer[] order = new Integer[candidates.size];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byKey = Long.compare(candidates.key[a], candidates.key[b]);
            if (byKey != 0) {
                return byKey;
            }
            int byResource = Double.compare(candidates.resource[a], candidates.resource[b]);
            return byResource != 0 ? byResource : Double.compare(candidates.objective[a], candidates.objective[b]);
        });
        Stage kept = new Stage();
        long currentKey = Long.MIN_VALUE;
        double best = Double.POSITIVE_INFINITY;
        for (int i : order) {
            if (candidates.key[i] != currentKey) {
                currentKey = candidates.key[i];
                best = Double.POSITIVE_INFINITY;
            }
            double pp = candidates.objective[i];
            if (best == Double.POSITIVE_INFINITY || pp < best - MARGIN * Math.abs(best)) {
                kept.add(candidates.resource[i], pp, candidates.parent[i], candidates.candidate[i], currentKey);
                best = pp;
            }
        }
        return kept;
    }

    /** The candidate of open block slot {@code slot} (of open(g)) in key k. */
    private int decode(long k, int g, int slot) {
        return (int) ((k / multiplier[g][slot]) % radix[g][slot]);
    }

    /** The key after group g takes candidate c, from the key k after g-1. */
    private long encode(long k, int g, int c) {
        long next = id[g][c];
        for (int i = 0; i < open[g].length; i++) {
            int from = previousSlot[g][i];
            int value = from < 0 ? c : decode(k, g - 1, from);
            next += value * multiplier[g][i];
        }
        return next;
    }

    private int[] choices(Stage[] stages, int index) {
        int[] choices = new int[groups];
        int at = index;
        for (int g = groups - 1; g >= 0; g--) {
            choices[g] = option[g][stages[g].candidate[at]];
            at = stages[g].parent[at];
        }
        return choices;
    }

    /**
     * The answer at one budget.
     *
     * @param choices option index per group (null: nothing within the budget)
     * @param complete the choices are proven optimal
     * @param lowerBound a proven lower bound on the optimum
     * @param labels labels of the last (exact) pass
     */
    public record Outcome(int[] choices, boolean complete, double lowerBound, long labels) {}

    /**
     * The smallest objective within {@code budget} (ties: smallest resource). {@code upper}, a known
     * feasible objective reached by {@code incumbent} (or +inf and null), prunes the search.
     *
     * <p>With a budget: λ maximises the dual (lower bound L); the Lagrangian heuristic may improve
     * the incumbent U. Then the exact pass runs with a <em>target</em> T slightly above L, pruning
     * every label whose bound reaches T: if a configuration below T survives to the end it is
     * optimal; if none does, the optimum is at least T, which becomes the new lower bound, and T grows
     * geometrically towards U. A pass that outgrows {@code labelLimit} ends the search with the incumbent and the proven
     * lower bound.
     */
    public Outcome optimum(double budget, double upper, int[] incumbent, long labelLimit) {
        if (budget == Double.POSITIVE_INFINITY) {
            Stage[] stages = run(budget, 0, Double.POSITIVE_INFINITY, labelLimit);
            if (stages == null) {
                return new Outcome(incumbent, false, Double.NEGATIVE_INFINITY, labelLimit);
            }
            int index = bestIndex(stages[groups - 1]);
            double value = index < 0 ? Double.POSITIVE_INFINITY : stages[groups - 1].objective[index];
            return new Outcome(index < 0 ? null : choices(stages, index), true, value, labels(stages));
        }
        double lambda = lambda(budget);
        double lower = dual(lambda, budget);
        if (!Double.isFinite(lower)) {
            lambda = 0;
            lower = dual(0, budget); // always finite: the unconstrained optimum bounds from below
        }
        int[] best = incumbent;
        double bestValue = upper;
        int[] heuristic = lagrangianHeuristic(budget, lambda);
        if (heuristic != null && objectiveOf(heuristic) < bestValue) {
            bestValue = objectiveOf(heuristic);
            best = heuristic;
        }
        double step = Math.max(1e-9 * Math.abs(lower), 1e-12);
        for (int round = 0; ; round++) {
            double target = bestValue == Double.POSITIVE_INFINITY ? lower + step : Math.min(bestValue, lower + step);
            if (round >= 100 || !Double.isFinite(target)) {
                target = bestValue; // no progress by deepening: one exact pass against the incumbent
            }
            Stage[] stages = run(budget, lambda, target, labelLimit);
            if (stages == null) {
                return new Outcome(best, false, lower, labelLimit);
            }
            int index = bestIndex(stages[groups - 1]);
            if (index >= 0) {
                double value = stages[groups - 1].objective[index];
                if (value < target) {
                    // every configuration below the target was kept: this one is optimal
                    return new Outcome(choices(stages, index), true, value, labels(stages));
                }
                if (value < bestValue) {
                    bestValue = value; // a label that survived on its slack: feasible, not yet proven
                    best = choices(stages, index);
                }
            }
            if (target >= bestValue || !Double.isFinite(target)) {
                // nothing beats the incumbent (or nothing fits at all)
                return new Outcome(best, true, bestValue, labels(stages));
            }
            lower = target;
            step *= 8;
        }
    }

    private static long labels(Stage[] stages) {
        long labels = 0;
        for (Stage stage : stages) {
            labels += stage.size;
        }
        return labels;
    }

    /** The label of smallest objective (ties: smallest resource), or -1. */
    private static int bestIndex(Stage last) {
        int best = -1;
        for (int i = 0; i < last.size; i++) {
            if (best < 0
                    || last.objective[i] < last.objective[best]
                    || (last.objective[i] == last.objective[best] && last.resource[i] < last.resource[best])) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The complete front of objective against resource within {@code budget}, as choices sorted by
     * resource ascending with strictly decreasing objective; null when the labels outgrow the limit.
     */
    public List<int[]> front(double budget, long labelLimit) {
        Stage[] stages = run(budget, 0, Double.POSITIVE_INFINITY, labelLimit);
        if (stages == null) {
            return null;
        }
        Stage last = stages[groups - 1];
        Integer[] order = new Integer[last.size];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byResource = Double.compare(last.resource[a], last.resource[b]);
            return byResource != 0 ? byResource : Double.compare(last.objective[a], last.objective[b]);
        });
        List<int[]> front = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (int i : order) {
            if (best == Double.POSITIVE_INFINITY || last.objective[i] < best - MARGIN * Math.abs(best)) {
                front.add(choices(stages, i));
                best = last.objective[i];
            }
        }
        return front;
    }
}
