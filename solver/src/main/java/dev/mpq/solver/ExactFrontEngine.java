package dev.mpq.solver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code exact-front}: the complete Pareto front of the minimised metric against one resource
 * metric, by a dominance-pruned merge over the tie blocks (ZeroQ's dynamic program without a
 * discretised resource, so it is exact for real-valued costs).
 *
 * <p>The front after k blocks is a list of labels sorted by resource ascending with strictly
 * decreasing objective. Adding block k+1 shifts that list once per candidate; a k-way merge by
 * resource followed by a sweep that keeps a label only if its objective is strictly lower than
 * every label before it gives the next front. A budget on the resource prunes labels that cannot
 * be completed within it. Optimal substructure holds because both metrics are sums: a configuration
 * whose prefix is dominated is itself dominated.
 *
 * <p>Solves problems with one front metric and budgets only on it, or with no front and at most one
 * budget; without transition costs.
 */
public final class ExactFrontEngine implements SearchEngine {

    /** Objectives closer than this (relative) count as equal: the noise of summing doubles. */
    static final double EQUAL_RELATIVE = 1e-12;

    /** Labels kept at most in one stage before the engine gives up (memory guard). */
    private final int maxLabels;

    public ExactFrontEngine() {
        this(20_000_000);
    }

    public ExactFrontEngine(int maxLabels) {
        this.maxLabels = maxLabels;
    }

    @Override
    public String name() {
        return "exact-front";
    }

    @Override
    public String unsupportedReason(SearchProblem problem) {
        if (problem.hasTransitionCosts()) {
            return "exact-front needs an additive problem; transition costs need local-search or ilp";
        }
        if (problem.front().size() > 1) {
            return "exact-front handles one front metric; several need ilp (epsilon-constraint)";
        }
        String resource = resourceMetric(problem);
        for (String metric : problem.budgets().keySet()) {
            if (!metric.equals(resource)) {
                return "exact-front handles budgets on the front metric only; budgets on %s need ilp"
                        .formatted(problem.budgets().keySet());
            }
        }
        return null;
    }

    private static String resourceMetric(SearchProblem problem) {
        if (!problem.front().isEmpty()) {
            return problem.front().get(0);
        }
        return problem.budgets().isEmpty() ? null : problem.budgets().keySet().iterator().next();
    }

    @Override
    public ParetoFront solve(SearchProblem problem, SolveOptions options) {
        String reason = unsupportedReason(problem);
        if (reason != null) {
            throw new InvalidProblemException("engine", reason);
        }
        long start = System.nanoTime();
        TieBlocks blocks = TieBlocks.of(problem);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("engine", name());
        stats.put("blocks", blocks.blockCount());
        List<Violation> violations = Infeasibility.unreachableAlone(blocks);
        if (!violations.isEmpty()) {
            stats.put("seconds", (System.nanoTime() - start) / 1e9);
            return Infeasibility.unreachable(violations, stats);
        }
        int objective = problem.minimizeIndex();
        String resourceName = resourceMetric(problem);
        int resource = resourceName == null ? objective : problem.metricIndex(resourceName);
        double budget = resourceName == null
                ? Double.POSITIVE_INFINITY
                : problem.budgets().getOrDefault(resourceName, Double.POSITIVE_INFINITY);

        Labels labels = merge(blocks, objective, resource, budget);
        stats.put("front_size", labels.size());
        stats.put("labels_total", labels.totalLabels);

        List<Integer> selected = new ArrayList<>();
        if (problem.front().isEmpty()) {
            selected.add(labels.size() - 1); // lowest objective within the budget
        } else if (labels.size() <= problem.frontPoints()) {
            for (int i = 0; i < labels.size(); i++) {
                selected.add(i);
            }
        } else {
            selected.addAll(evenBudgetPoints(labels.resource, problem.frontPoints()));
        }
        List<FrontPoint> points = new ArrayList<>();
        for (int index : selected) {
            int[] choices = blocks.toChoices(labels.candidates(index));
            points.add(new FrontPoint(choices, FeasibilityChecker.totals(problem, choices), 0.0));
        }
        stats.put("seconds", (System.nanoTime() - start) / 1e9);
        String message = problem.front().isEmpty()
                ? "Optimal configuration (complete front of %d points searched).".formatted(labels.size())
                : labels.size() <= problem.frontPoints()
                        ? "Complete front: %d points, each proven optimal.".formatted(labels.size())
                        : "The complete front has %d points; %d budget points spread over the feasible range are returned, each proven optimal."
                                .formatted(labels.size(), points.size());
        return ParetoFront.of(points, message, stats);
    }

    /**
     * Indices of the best label at {@code count} budgets spread evenly over the resource range;
     * budgets that reach the same label give one point.
     */
    static List<Integer> evenBudgetPoints(double[] resource, int count) {
        int n = resource.length;
        List<Integer> chosen = new ArrayList<>();
        double low = resource[0];
        double high = resource[n - 1];
        int last = -1;
        for (int k = 0; k < count; k++) {
            double target = count == 1 ? high : low + (high - low) * k / (count - 1);
            if (k == count - 1) {
                target = high;
            }
            int index = upperIndex(resource, target);
            if (index != last) {
                chosen.add(index);
                last = index;
            }
        }
        return chosen;
    }

    /** The last index whose resource is within the target (resources ascending). */
    private static int upperIndex(double[] resource, double target) {
        int index = Arrays.binarySearch(resource, target);
        if (index >= 0) {
            while (index + 1 < resource.length && resource[index + 1] == target) {
                index++;
            }
            return index;
        }
        return Math.max(0, -index - 2);
    }

    /** The final front with back-pointers through every stage. */
    static final class Labels {
        final double[] resource;
        final double[] objective;
        final int[][] parent;
        final int[][] candidate;
        final long totalLabels;

        Labels(double[] resource, double[] objective, int[][] parent, int[][] candidate, long totalLabels) {
            this.resource = resource;
            this.objective = objective;
            this.parent = parent;
            this.candidate = candidate;
            this.totalLabels = totalLabels;
        }

        int size() {
            return resource.length;
        }

        int[] candidates(int index) {
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

    Labels merge(TieBlocks blocks, int objective, int resource, double budget) {
        int stages = blocks.blockCount();
        double[] minRest = new double[stages + 1];
        for (int b = stages - 1; b >= 0; b--) {
            minRest[b] = minRest[b + 1] + blocks.minValue(b, resource);
        }
        double limit = budget + EQUAL_RELATIVE * Math.abs(budget);
        int[][] parent = new int[stages][];
        int[][] candidate = new int[stages][];
        double[] r = {0.0};
        double[] p = {0.0};
        long total = 0;
        for (int b = 0; b < stages; b++) {
            int k = blocks.candidateCount(b);
            double[] cr = new double[k];
            double[] cp = new double[k];
            for (int c = 0; c < k; c++) {
                cr[c] = blocks.value(b, c, resource);
                cp[c] = blocks.value(b, c, objective);
            }
            int n = r.length;
            int capacity = (int) Math.min((long) n * k, maxLabels + 1L);
            double[] nr = new double[capacity];
            double[] np = new double[capacity];
            int[] par = new int[capacity];
            int[] cand = new int[capacity];
            int[] head = new int[k];
            int size = 0;
            double best = Double.POSITIVE_INFINITY;
            double rest = minRest[b + 1];
            while (true) {
                int pick = -1;
                double pr = 0;
                double pp = 0;
                for (int c = 0; c < k; c++) {
                    if (head[c] < n) {
                        double vr = r[head[c]] + cr[c];
                        double vp = p[head[c]] + cp[c];
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
                if (pp < best - EQUAL_RELATIVE * Math.abs(best) || best == Double.POSITIVE_INFINITY) {
                    if (size == maxLabels) {
                        throw new FrontTooLargeException(
                                "The front grows past %d labels at block %d of %d; use budget points (front_points) or the ilp engine."
                                        .formatted(maxLabels, b + 1, stages));
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
            r = Arrays.copyOf(nr, size);
            p = Arrays.copyOf(np, size);
            parent[b] = Arrays.copyOf(par, size);
            candidate[b] = Arrays.copyOf(cand, size);
            total += size;
        }
        return new Labels(r, p, parent, candidate, total);
    }

    /** The complete front does not fit in memory. */
    public static final class FrontTooLargeException extends RuntimeException {
        public FrontTooLargeException(String message) {
            super(message);
        }
    }
}
