package dev.mpq.solver;

import dev.mpq.solver.chain.ChainProgram;
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

    /** Keys (option ids x open tie-block candidates) the transition program may use per stage. */
    static final long KEY_LIMIT = 1L << 16;

    /** Labels the transition program may hold over all stages. */
    static final long CHAIN_LABELS = 20_000_000L;

    @Override
    public String unsupportedReason(SearchProblem problem) {
        if (problem.hasTransitionCosts()) {
            long keys = new ChainProgram(problem, problem.minimizeIndex(), -1).keySpace();
            if (keys > KEY_LIMIT) {
                return "exact-front with transition costs keeps the candidates of ties that span other layers; here that needs %d keys per layer (limit %d): use ilp"
                        .formatted(keys, KEY_LIMIT);
            }
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
        requireSupported(problem);
        long start = System.nanoTime();
        TieBlocks blocks = TieBlocks.of(problem);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("engine", name());
        stats.put("blocks", blocks.blockCount());
        if (problem.hasTransitionCosts()) {
            return transitions(problem, blocks, options, stats).withStats(Map.of("seconds", seconds(start)));
        }
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

    // ---------------------------------------------------------------- transition costs

    /** The exact dynamic program over consecutive layers ({@link ChainProgram}). */
    private ParetoFront transitions(
            SearchProblem problem, TieBlocks blocks, SolveOptions options, Map<String, Object> stats) {
        FeasibilityChecker checker = FeasibilityChecker.of(problem);
        stats.put("method", "dynamic program over consecutive layers");
        List<Violation> violations = Infeasibility.unreachableAlone(blocks, metric -> minimumAlone(problem, metric));
        if (!violations.isEmpty()) {
            return Infeasibility.unreachable(violations, stats);
        }
        int objective = problem.minimizeIndex();
        String resourceName = resourceMetric(problem);
        if (resourceName == null) {
            ChainProgram.Outcome outcome = new ChainProgram(problem, objective, -1)
                    .optimum(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, null, CHAIN_LABELS);
            FrontPoint point = new FrontPoint(outcome.choices(), checker.totals(outcome.choices()), 0.0);
            return ParetoFront.of(List.of(point), "Optimal configuration, exact in double precision.", stats);
        }
        int resource = problem.metricIndex(resourceName);
        double budget = problem.budgets().getOrDefault(resourceName, Double.POSITIVE_INFINITY);
        ChainProgram program = new ChainProgram(problem, objective, resource);
        if (problem.front().isEmpty()) {
            FrontPoint point = chainOptimum(problem, blocks, checker, program, budget, stats);
            if (point == null) {
                return Infeasibility.conflicting(blocks, metric -> minimumAlone(problem, metric), stats);
            }
            String message = point.proven()
                    ? "Optimal configuration, exact in double precision."
                    : "Best configuration found; proven relative gap %s.".formatted(point.gap());
            return ParetoFront.of(List.of(point), message, stats);
        }
        List<int[]> complete = program.front(budget, CHAIN_LABELS);
        List<FrontPoint> points = new ArrayList<>();
        if (complete != null) {
            for (int[] choices : complete) {
                points.add(new FrontPoint(choices, checker.totals(choices), 0.0));
            }
            stats.put("front_size", points.size());
            if (points.size() <= problem.frontPoints()) {
                return ParetoFront.of(
                        points, "Complete front: %d points, each proven optimal.".formatted(points.size()), stats);
            }
            double[] resources =
                    points.stream().mapToDouble(p -> p.total(resource)).toArray();
            List<FrontPoint> chosen = new ArrayList<>();
            int last = -1;
            for (double target : evenBudgets(resources[0], resources[resources.length - 1], problem.frontPoints())) {
                int index = lastWithin(resources, target);
                if (index != last) {
                    chosen.add(points.get(index));
                    last = index;
                }
            }
            return ParetoFront.of(
                    chosen,
                    "The complete front has %d points; %d budget points spread over the feasible range are returned, each proven optimal."
                            .formatted(points.size(), chosen.size()),
                    stats);
        }
        double low = minimumAlone(problem, resource);
        ChainProgram.Outcome best = new ChainProgram(problem, objective, -1)
                .optimum(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, null, CHAIN_LABELS);
        double high = Math.min(budget, checker.totals(best.choices())[resource]);
        for (double target : evenBudgets(low, high, problem.frontPoints())) {
            FrontPoint point = chainOptimum(problem, blocks, checker, program, target, stats);
            if (point != null) {
                points.add(point);
            }
        }
        points = Dominance.sortedFront(points, objective, resource);
        return ParetoFront.of(
                points,
                "%d budget points spread over the feasible range (the complete front is too large to list)."
                        .formatted(points.size()),
                stats);
    }

    private static int lastWithin(double[] sorted, double target) {
        int index = 0;
        while (index + 1 < sorted.length && sorted[index + 1] <= target) {
            index++;
        }
        return index;
    }

    /** The smallest total of a metric under ties and pins, transition costs included. */
    static double minimumAlone(SearchProblem problem, int metric) {
        ChainProgram program = new ChainProgram(problem, metric, -1);
        ChainProgram.Outcome outcome =
                program.optimum(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, null, CHAIN_LABELS);
        return FeasibilityChecker.totals(problem, outcome.choices())[metric];
    }

    /**
     * The optimum within one budget with transition costs: a feasible configuration from the
     * additive engine (its budget lowered until the switches fit) bounds the program from above.
     */
    private FrontPoint chainOptimum(
            SearchProblem problem,
            TieBlocks blocks,
            FeasibilityChecker checker,
            ChainProgram program,
            double budget,
            Map<String, Object> stats) {
        int objective = problem.minimizeIndex();
        int resource = problem.metricIndex(resourceMetric(problem));
        int[] incumbent = additiveRepair(problem, blocks, checker, budget);
        double upper = incumbent == null ? Double.POSITIVE_INFINITY : checker.totals(incumbent)[objective];
        ChainProgram.Outcome outcome = program.optimum(budget, upper, incumbent, CHAIN_LABELS);
        stats.merge("labels", outcome.labels(), (a, b) -> Math.max((Long) a, (Long) b));
        if (outcome.choices() == null) {
            return null;
        }
        int[] choices = outcome.choices();
        double[] totals = checker.totals(choices);
        if (outcome.complete()) {
            return new FrontPoint(choices, totals, 0.0);
        }
        double bound = outcome.lowerBound();
        double gap = totals[objective] <= 0 ? 0 : Math.max(0, (totals[objective] - bound) / totals[objective]);
        return new FrontPoint(choices, totals, gap);
    }

    /** The additive optimum with its budget lowered until the transition costs fit too; null if none. */
    private int[] additiveRepair(SearchProblem problem, TieBlocks blocks, FeasibilityChecker checker, double budget) {
        int objective = problem.minimizeIndex();
        int resource = problem.metricIndex(resourceMetric(problem));
        MultipleChoiceKnapsack knapsack = MultipleChoiceKnapsack.of(blocks, objective, resource);
        CoreBranchAndBound search = new CoreBranchAndBound(new LpRelaxation(knapsack), STATE_LIMIT);
        double additiveBudget = budget;
        for (int attempt = 0; attempt < 30; attempt++) {
            CoreBranchAndBound.Solution solution = search.solve(additiveBudget);
            if (solution.candidates() == null) {
                return null;
            }
            int[] choices = blocks.toChoices(solution.candidates());
            double total = checker.totals(choices)[resource];
            if (FeasibilityChecker.withinBudget(total, budget) && total <= budget + EQUAL_RELATIVE * Math.abs(budget)) {
                return choices;
            }
            additiveBudget -= (total - budget) + EQUAL_RELATIVE * Math.abs(budget);
        }
        return null;
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
