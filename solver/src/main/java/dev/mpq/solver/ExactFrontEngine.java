package dev.mpq.solver;

import dev.mpq.solver.mckp.CoreBranchAndBound;
import dev.mpq.solver.mckp.LpRelaxation;
import dev.mpq.solver.mckp.MultipleChoiceKnapsack;
import dev.mpq.solver.mckp.ParetoMerge;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code exact-front}: the minimised metric against one resource metric, exact in double precision.
 *
 * <ul>
 *   <li>Complete front ({@link ParetoMerge}): a dominance-pruned merge over the tie blocks, used when
 *       the front has at most {@code frontPoints} points.
 *   <li>Budget points: when the front is larger, {@code frontPoints} budgets spread evenly over the
 *       feasible range of the resource (its smallest total up to the resource of the best
 *       configuration, or the budget on it), each solved by {@link CoreBranchAndBound} (LP
 *       multiplier, reduced costs, expanding core) and proven optimal or given its proven gap.
 *       Budgets that reach the same optimum give one point. Budgets run in parallel on {@link
 *       SolveOptions#threads()} threads.
 *   <li>One configuration under one budget (no front): {@link CoreBranchAndBound} at that budget.
 * </ul>
 *
 * <p>Solves problems with at most one front metric and budgets only on it (or no front and at most
 * one budget); without transition costs.
 */
public final class ExactFrontEngine implements SearchEngine {

    /** Objectives closer than this (relative) count as equal: the noise of summing doubles. */
    static final double EQUAL_RELATIVE = ParetoMerge.EQUAL_RELATIVE;

    /** States of one budget's core search before it settles for a proven gap. */
    static final int STATE_LIMIT = 2_000_000;

    private final long maxLabels;

    public ExactFrontEngine() {
        this(50_000_000L);
    }

    /** @param maxLabels labels the complete merge may hold over all stages (memory guard) */
    public ExactFrontEngine(long maxLabels) {
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
        if (problem.front().isEmpty() && problem.budgets().size() > 1) {
            return "exact-front handles one budget; several budgets need ilp";
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
        return problem.budgets().isEmpty()
                ? null
                : problem.budgets().keySet().iterator().next();
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
            stats.put("seconds", seconds(start));
            return Infeasibility.unreachable(violations, stats);
        }
        int objective = problem.minimizeIndex();
        String resourceName = resourceMetric(problem);
        int resource = resourceName == null ? objective : problem.metricIndex(resourceName);
        double budget = resourceName == null
                ? Double.POSITIVE_INFINITY
                : problem.budgets().getOrDefault(resourceName, Double.POSITIVE_INFINITY);
        MultipleChoiceKnapsack knapsack = MultipleChoiceKnapsack.of(blocks, objective, resource);

        ParetoFront result;
        if (problem.front().isEmpty()) {
            result = single(problem, blocks, knapsack, budget, stats);
        } else {
            result = front(problem, blocks, knapsack, budget, options, stats);
        }
        return result.withStats(Map.of("seconds", seconds(start)));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private ParetoFront single(
            SearchProblem problem,
            TieBlocks blocks,
            MultipleChoiceKnapsack knapsack,
            double budget,
            Map<String, Object> stats) {
        FeasibilityChecker checker = FeasibilityChecker.of(problem);
        int[] candidates;
        double gap = 0.0;
        if (budget == Double.POSITIVE_INFINITY) {
            candidates = knapsack.minObjectiveConfiguration();
        } else {
            CoreBranchAndBound.Solution solution =
                    new CoreBranchAndBound(new LpRelaxation(knapsack), STATE_LIMIT).solve(budget);
            candidates = solution.candidates();
            gap = solution.gap();
            stats.put("core_blocks", solution.coreBlocks());
            stats.put("max_states", solution.maxStates());
        }
        int[] choices = blocks.toChoices(candidates);
        FrontPoint point = new FrontPoint(choices, checker.totals(choices), gap);
        String message = gap == 0
                ? "Optimal configuration, exact in double precision."
                : "Best configuration found; proven relative gap %s.".formatted(gap);
        return ParetoFront.of(List.of(point), message, stats);
    }

    private ParetoFront front(
            SearchProblem problem,
            TieBlocks blocks,
            MultipleChoiceKnapsack knapsack,
            double budget,
            SolveOptions options,
            Map<String, Object> stats) {
        FeasibilityChecker checker = FeasibilityChecker.of(problem);
        int frontPoints = problem.frontPoints();
        // A stage front larger than twice the requested points is taken as a sign that the final
        // front is too large to list (fronts rarely shrink as blocks are added).
        int stageLimit = (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(2L * frontPoints, 1_000L));
        ParetoMerge.Front merged = ParetoMerge.front(knapsack, budget, stageLimit, maxLabels);
        if (merged != null && merged.size() <= frontPoints) {
            stats.put("method", "complete merge");
            stats.put("front_size", merged.size());
            stats.put("labels_total", merged.totalLabels());
            List<FrontPoint> points = new ArrayList<>();
            for (int i = 0; i < merged.size(); i++) {
                int[] choices = blocks.toChoices(merged.candidates(i));
                points.add(new FrontPoint(choices, checker.totals(choices), 0.0));
            }
            return ParetoFront.of(
                    points, "Complete front: %d points, each proven optimal.".formatted(points.size()), stats);
        }
        stats.put("method", "budget points (core branch and bound)");
        LpRelaxation lp = new LpRelaxation(knapsack);
        double low = knapsack.minResource();
        double high = Math.min(budget, knapsack.resourceOf(knapsack.minObjectiveConfiguration()));
        double[] budgets = evenBudgets(low, high, frontPoints);
        List<CoreBranchAndBound.Solution> solutions = solveAll(lp, budgets, options.threads());
        List<FrontPoint> points = new ArrayList<>();
        double lastObjective = Double.POSITIVE_INFINITY;
        int maxCore = 0;
        int maxStates = 0;
        for (CoreBranchAndBound.Solution solution : solutions) {
            maxCore = Math.max(maxCore, solution.coreBlocks());
            maxStates = Math.max(maxStates, solution.maxStates());
            if (solution.candidates() == null) {
                continue;
            }
            if (lastObjective != Double.POSITIVE_INFINITY
                    && !(solution.objective() < lastObjective - EQUAL_RELATIVE * Math.abs(lastObjective))) {
                continue; // the same optimum as a smaller budget: one point
            }
            lastObjective = solution.objective();
            int[] choices = blocks.toChoices(solution.candidates());
            points.add(new FrontPoint(choices, checker.totals(choices), solution.gap()));
        }
        points = Dominance.sortedFront(
                points,
                problem.minimizeIndex(),
                problem.metricIndex(problem.front().get(0)));
        stats.put("budgets", budgets.length);
        stats.put("max_core_blocks", maxCore);
        stats.put("max_states", maxStates);
        boolean proven = points.stream().allMatch(FrontPoint::proven);
        String message =
                "The complete front has more than %d points; %d budgets spread over the feasible range gave %d distinct points, %s."
                        .formatted(
                                frontPoints,
                                budgets.length,
                                points.size(),
                                proven ? "each proven optimal" : "each with its proven gap");
        return ParetoFront.of(points, message, stats);
    }

    /** {@code count} budgets from {@code low} to {@code high}, both included. */
    static double[] evenBudgets(double low, double high, int count) {
        if (count == 1 || high <= low) {
            return new double[] {Math.max(low, high)};
        }
        double[] budgets = new double[count];
        for (int k = 0; k < count; k++) {
            budgets[k] = low + (high - low) * k / (count - 1);
        }
        budgets[count - 1] = high;
        return budgets;
    }

    private static List<CoreBranchAndBound.Solution> solveAll(LpRelaxation lp, double[] budgets, int threads) {
        CoreBranchAndBound search = new CoreBranchAndBound(lp, STATE_LIMIT);
        int workers = Math.min(threads, budgets.length);
        CoreBranchAndBound.Solution[] out = new CoreBranchAndBound.Solution[budgets.length];
        if (workers <= 1) {
            for (int i = 0; i < budgets.length; i++) {
                out[i] = search.solve(budgets[i]);
            }
            return List.of(out);
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "exact-front");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int first = w;
                futures.add(pool.submit(() -> {
                    for (int i = first; i < budgets.length; i += workers) {
                        out[i] = search.solve(budgets[i]);
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while solving budget points", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("A budget point failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return List.of(out);
    }
}
