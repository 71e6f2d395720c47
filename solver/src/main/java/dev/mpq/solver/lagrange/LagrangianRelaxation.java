package dev.mpq.solver.lagrange;

import dev.mpq.solver.TieBlocks;
import dev.mpq.solver.mckp.IndexSort;
import dev.mpq.solver.mckp.LpRelaxation;
import dev.mpq.solver.mckp.MultipleChoiceKnapsack;
import java.util.Arrays;

/**
 * Lagrangian relaxation of the additive problem under any number of budgets: a lower bound and a
 * feasible repaired configuration, in time linear in the candidates per iteration.
 *
 * <p>One budget: the LP relaxation over the convex hull of each block ({@link LpRelaxation}) is the
 * best Lagrangian bound, and its greedy completion is the repair. Several budgets: multipliers μ
 * (one per budget) price the resources, every block takes its cheapest candidate under {@code p +
 * Σ μ_k r_k}, and {@code L(μ) = Σ min - Σ μ_k B_k} is a lower bound for every μ >= 0. μ follows the
 * projected subgradient {@code R_k(x_μ) - B_k} with Polyak steps towards the best repaired value;
 * each iterate is repaired (moves with the least objective increase per unit of violation removed,
 * until every budget holds) and then improved (moves that lower the objective and keep every budget,
 * best first).
 */
public final class LagrangianRelaxation {

    private final TieBlocks blocks;
    private final int objective;
    private final int[] resources;
    private final int n;
    private final int[] start;
    private final double[] p;
    /** r[k][flat candidate]. */
    private final double[][] r;

    public LagrangianRelaxation(TieBlocks blocks, int objective, int[] resources) {
        this.blocks = blocks;
        this.objective = objective;
        this.resources = resources.clone();
        this.n = blocks.blockCount();
        this.start = new int[n + 1];
        for (int b = 0; b < n; b++) {
            start[b + 1] = start[b] + blocks.candidateCount(b);
        }
        p = new double[start[n]];
        r = new double[resources.length][start[n]];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < blocks.candidateCount(b); c++) {
                p[start[b] + c] = blocks.value(b, c, objective);
                for (int k = 0; k < resources.length; k++) {
                    r[k][start[b] + c] = blocks.value(b, c, resources[k]);
                }
            }
        }
    }

    /**
     * A bound and a repair.
     *
     * @param candidates a candidate per block within every budget, or null if the repair failed
     * @param value its objective
     * @param lowerBound a proven lower bound on every configuration within the budgets
     */
    public record Result(int[] candidates, double value, double lowerBound) {
        public double gap() {
            if (candidates == null) {
                return Double.NaN;
            }
            return value <= 0 ? 0.0 : Math.max(0.0, (value - lowerBound) / value);
        }
    }

    /** Bound and repair for {@code budgets[k]} on {@code resources[k]}; +inf budgets are ignored. */
    public Result solve(double[] budgets, int iterations) {
        int active = 0;
        int single = -1;
        for (int k = 0; k < budgets.length; k++) {
            if (budgets[k] != Double.POSITIVE_INFINITY) {
                active++;
                single = k;
            }
        }
        if (active == 0) {
            int[] best = cheapest(new double[budgets.length]);
            double value = objectiveOf(best);
            return new Result(best, value, value);
        }
        if (active == 1) {
            MultipleChoiceKnapsack knapsack = MultipleChoiceKnapsack.of(blocks, objective, resources[single]);
            LpRelaxation lp = new LpRelaxation(knapsack);
            int[] repair = lp.greedy(budgets[single]);
            double bound = lp.bound(budgets[single]);
            if (repair == null) {
                return new Result(null, Double.NaN, bound);
            }
            return new Result(repair, knapsack.objectiveOf(repair), Math.min(bound, knapsack.objectiveOf(repair)));
        }
        return subgradient(budgets, iterations);
    }

    private Result subgradient(double[] budgets, int iterations) {
        int m = budgets.length;
        // each budget alone is a relaxation whose LP bound is exact: the best of them is the start
        double[] mu = new double[m];
        double lower = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < m; k++) {
            if (budgets[k] != Double.POSITIVE_INFINITY) {
                LpRelaxation lp = new LpRelaxation(MultipleChoiceKnapsack.of(blocks, objective, resources[k]));
                double bound = lp.bound(budgets[k]);
                if (bound > lower) {
                    lower = bound;
                    Arrays.fill(mu, 0);
                    mu[k] = lp.lambda(budgets[k]);
                }
            }
        }
        int[] best = null;
        double bestValue = Double.POSITIVE_INFINITY;
        double[] bestMu = mu.clone();
        double theta = 1.0;
        int stale = 0;
        for (int iteration = 0; iteration < iterations; iteration++) {
            int[] x = cheapest(mu);
            double value = lagrangian(x, mu, budgets);
            if (value > lower + 1e-12 * Math.abs(lower)) {
                lower = value;
                bestMu = mu.clone();
                stale = 0;
            } else if (++stale >= 10) {
                theta /= 2;
                stale = 0;
            }
            if (iteration % 10 == 0 || iteration == iterations - 1) {
                int[] repaired = improve(repair(x, budgets), budgets);
                if (repaired != null && objectiveOf(repaired) < bestValue) {
                    bestValue = objectiveOf(repaired);
                    best = repaired;
                }
            }
            double[] g = new double[m];
            double norm = 0;
            for (int k = 0; k < m; k++) {
                if (budgets[k] != Double.POSITIVE_INFINITY) {
                    // normalised by the budget, so resources of different magnitudes move alike
                    g[k] = (resourceOf(x, k) - budgets[k]) / Math.max(Math.abs(budgets[k]), 1e-300);
                    if (mu[k] == 0 && g[k] < 0) {
                        g[k] = 0; // projected: cannot go below zero
                    }
                    norm += g[k] * g[k];
                }
            }
            if (norm == 0 || theta < 1e-6) {
                break; // x_μ meets every budget with complementary slackness, or no progress left
            }
            double target = bestValue == Double.POSITIVE_INFINITY ? Math.abs(value) * 1.05 + 1e-12 : bestValue;
            double step = theta * Math.max(target - value, 1e-12 * Math.abs(target)) / norm;
            for (int k = 0; k < m; k++) {
                if (budgets[k] != Double.POSITIVE_INFINITY) {
                    mu[k] = Math.max(0, mu[k] + step * g[k] / Math.max(Math.abs(budgets[k]), 1e-300));
                }
            }
        }
        int[] atBest = improve(repair(cheapest(bestMu), budgets), budgets);
        if (atBest != null && objectiveOf(atBest) < bestValue) {
            bestValue = objectiveOf(atBest);
            best = atBest;
        }
        return new Result(best, bestValue, best == null ? lower : Math.min(lower, bestValue));
    }

    /** Every block's cheapest candidate under {@code p + Σ μ_k r_k} (ties: smaller objective). */
    int[] cheapest(double[] mu) {
        int[] x = new int[n];
        for (int b = 0; b < n; b++) {
            int pick = start[b];
            double pickValue = Double.POSITIVE_INFINITY;
            for (int j = start[b]; j < start[b + 1]; j++) {
                double value = p[j];
                for (int k = 0; k < mu.length; k++) {
                    value += mu[k] * r[k][j];
                }
                if (value < pickValue || (value == pickValue && p[j] < p[pick])) {
                    pick = j;
                    pickValue = value;
                }
            }
            x[b] = pick - start[b];
        }
        return x;
    }

    private double lagrangian(int[] x, double[] mu, double[] budgets) {
        double value = objectiveOf(x);
        for (int k = 0; k < mu.length; k++) {
            if (budgets[k] != Double.POSITIVE_INFINITY) {
                value += mu[k] * (resourceOf(x, k) - budgets[k]);
            }
        }
        return value;
    }

    double objectiveOf(int[] x) {
        double sum = 0;
        for (int b = 0; b < n; b++) {
            sum += p[start[b] + x[b]];
        }
        return sum;
    }

    double resourceOf(int[] x, int k) {
        double sum = 0;
        for (int b = 0; b < n; b++) {
            sum += r[k][start[b] + x[b]];
        }
        return sum;
    }

    /**
     * Moves blocks to candidates that remove violation at the least objective increase per unit
     * (violations weighted by 1/budget) until every budget holds; null if it cannot. Each phase ranks
     * every block's best move once and applies them in order; a new phase starts when the set of
     * violated budgets changes.
     */
    public int[] repair(int[] from, double[] budgets) {
        int[] x = from.clone();
        int m = budgets.length;
        double[] total = new double[m];
        for (int k = 0; k < m; k++) {
            total[k] = resourceOf(x, k);
        }
        for (int phase = 0; phase < 2 * m + 4; phase++) {
            boolean[] violated = new boolean[m];
            boolean any = false;
            for (int k = 0; k < m; k++) {
                violated[k] = budgets[k] != Double.POSITIVE_INFINITY && total[k] > budgets[k];
                any |= violated[k];
            }
            if (!any) {
                return x;
            }
            double[] ratio = new double[n];
            int[] move = new int[n];
            for (int b = 0; b < n; b++) {
                int current = start[b] + x[b];
                ratio[b] = Double.POSITIVE_INFINITY;
                move[b] = -1;
                for (int j = start[b]; j < start[b + 1]; j++) {
                    double relief = 0;
                    for (int k = 0; k < m; k++) {
                        double delta = r[k][current] - r[k][j];
                        if (violated[k]) {
                            relief += delta / Math.max(Math.abs(budgets[k]), 1e-300);
                        } else if (budgets[k] != Double.POSITIVE_INFINITY && delta < 0) {
                            relief += 2 * delta / Math.max(Math.abs(budgets[k]), 1e-300); // uses a held budget
                        }
                    }
                    if (relief <= 0) {
                        continue;
                    }
                    double value = (p[j] - p[current]) / relief;
                    if (value < ratio[b]) {
                        ratio[b] = value;
                        move[b] = j;
                    }
                }
            }
            int[] order = IndexSort.ascending(ratio);
            boolean changed = false;
            for (int b : order) {
                if (move[b] < 0) {
                    break;
                }
                int current = start[b] + x[b];
                int next = move[b];
                boolean fits = true;
                for (int k = 0; k < m && fits; k++) {
                    if (!violated[k] && budgets[k] != Double.POSITIVE_INFINITY) {
                        fits = total[k] + r[k][next] - r[k][current] <= budgets[k];
                    }
                }
                if (!fits) {
                    continue;
                }
                for (int k = 0; k < m; k++) {
                    total[k] += r[k][next] - r[k][current];
                }
                x[b] = next - start[b];
                boolean stillSame = true;
                boolean anyLeft = false;
                for (int k = 0; k < m; k++) {
                    boolean now = budgets[k] != Double.POSITIVE_INFINITY && total[k] > budgets[k];
                    stillSame &= now == violated[k];
                    anyLeft |= now;
                }
                changed = true;
                if (!anyLeft || !stillSame) {
                    break;
                }
            }
            if (!changed) {
                return null;
            }
        }
        for (int k = 0; k < m; k++) {
            if (budgets[k] != Double.POSITIVE_INFINITY && total[k] > budgets[k]) {
                return null;
            }
        }
        return x;
    }

    /**
     * Improves a feasible configuration: ranks every block's best move that lowers the objective
     * (by gain per unit of weighted resource used) and applies them in order while every budget
     * holds; repeated while it finds something.
     */
    public int[] improve(int[] from, double[] budgets) {
        if (from == null) {
            return null;
        }
        int[] x = from.clone();
        int m = budgets.length;
        double[] total = new double[m];
        for (int k = 0; k < m; k++) {
            total[k] = resourceOf(x, k);
        }
        for (int pass = 0; pass < 4; pass++) {
            double[] score = new double[n];
            int[] move = new int[n];
            for (int b = 0; b < n; b++) {
                int current = start[b] + x[b];
                score[b] = 0;
                move[b] = -1;
                for (int j = start[b]; j < start[b + 1]; j++) {
                    double gain = p[current] - p[j];
                    if (gain <= 0) {
                        continue;
                    }
                    double use = 0;
                    for (int k = 0; k < m; k++) {
                        if (budgets[k] != Double.POSITIVE_INFINITY) {
                            use += Math.max(0, r[k][j] - r[k][current]) / Math.max(Math.abs(budgets[k]), 1e-300);
                        }
                    }
                    double value = use <= 0 ? Double.MAX_VALUE : gain / use;
                    if (value > score[b]) {
                        score[b] = value;
                        move[b] = j;
                    }
                }
                score[b] = -score[b]; // ascending order = best first
            }
            boolean moved = false;
            for (int b : IndexSort.ascending(score)) {
                if (move[b] < 0) {
                    break;
                }
                int current = start[b] + x[b];
                int next = move[b];
                boolean fits = true;
                for (int k = 0; k < m && fits; k++) {
                    fits = budgets[k] == Double.POSITIVE_INFINITY
                            || total[k] + r[k][next] - r[k][current] <= budgets[k];
                }
                if (fits) {
                    for (int k = 0; k < m; k++) {
                        total[k] += r[k][next] - r[k][current];
                    }
                    x[b] = next - start[b];
                    moved = true;
                }
            }
            if (!moved) {
                break;
            }
        }
        return x;
    }

    @Override
    public String toString() {
        return "LagrangianRelaxation" + Arrays.toString(resources);
    }
}
