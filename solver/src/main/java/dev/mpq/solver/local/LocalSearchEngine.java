package dev.mpq.solver.local;

import ai.timefold.solver.core.api.score.buildin.hardsoftlong.HardSoftLongScore;
import ai.timefold.solver.core.api.solver.Solver;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.heuristic.selector.move.factory.MoveIteratorFactoryConfig;
import ai.timefold.solver.core.config.localsearch.LocalSearchPhaseConfig;
import ai.timefold.solver.core.config.localsearch.decider.acceptor.LocalSearchAcceptorConfig;
import ai.timefold.solver.core.config.localsearch.decider.forager.LocalSearchForagerConfig;
import ai.timefold.solver.core.config.score.director.ScoreDirectorFactoryConfig;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import dev.mpq.solver.Dominance;
import dev.mpq.solver.FeasibilityChecker;
import dev.mpq.solver.FrontPoint;
import dev.mpq.solver.ParetoFront;
import dev.mpq.solver.SearchEngine;
import dev.mpq.solver.SearchProblem;
import dev.mpq.solver.SolveOptions;
import dev.mpq.solver.SolveStatus;
import dev.mpq.solver.TieBlocks;
import dev.mpq.solver.lagrange.LagrangianRelaxation;
import dev.mpq.solver.mckp.CoreBranchAndBound;
import dev.mpq.solver.mckp.LpRelaxation;
import dev.mpq.solver.mckp.MultipleChoiceKnapsack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code local-search}: Timefold Solver for objectives that are not additive (transition costs
 * between consecutive layers), one configuration under any number of budgets, or a front of one
 * metric at a few caps.
 *
 * <p>Start: the exact optimum of the additive part ({@link CoreBranchAndBound} for one budget, the
 * Lagrangian repair for several), its budgets lowered until the transition costs fit. Search:
 * simulated annealing over {@link RandomMoves} (change, pair and run moves) with the {@link
 * ConfigurationScore} incremental score (hard = budget excess, soft = objective), seeded by {@link
 * SolveOptions#seed()}, single-threaded, for the time limit (or a move count, for reproducible
 * tests). The best configuration is re-checked in doubles; points carry no proof (gap null).
 */
public final class LocalSearchEngine implements SearchEngine {

    /** Caps of a front (one front metric): the time limit is shared among them. */
    static final int FRONT_CAPS = 8;

    private final long moveLimit;
    private final EnvironmentMode environment;

    public LocalSearchEngine() {
        this(0, EnvironmentMode.NO_ASSERT);
    }

    /**
     * @param moveLimit evaluated moves per search (0 = only the time limit): deterministic runs
     * @param environment Timefold's environment mode ({@code FULL_ASSERT} re-checks every score)
     */
    public LocalSearchEngine(long moveLimit, EnvironmentMode environment) {
        this.moveLimit = moveLimit;
        this.environment = environment;
    }

    @Override
    public String name() {
        return "local-search";
    }

    @Override
    public boolean exact() {
        return false;
    }

    @Override
    public String unsupportedReason(SearchProblem problem) {
        if (problem.front().size() > 1) {
            return "local-search returns one configuration or a front of one metric; several front metrics need evolutionary or ilp";
        }
        return null;
    }

    @Override
    public ParetoFront solve(SearchProblem problem, SolveOptions options) {
        requireSupported(problem);
        long start = System.nanoTime();
        TieBlocks blocks = TieBlocks.of(problem);
        FeasibilityChecker checker = FeasibilityChecker.of(problem);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("engine", name());
        stats.put("blocks", blocks.blockCount());
        stats.put("seed", options.seed());
        List<String> constrained = new ArrayList<>(problem.budgets().keySet());
        if (!problem.front().isEmpty() && !constrained.contains(problem.front().get(0))) {
            constrained.add(problem.front().get(0));
        }
        int[] metrics = constrained.stream().mapToInt(problem::metricIndex).toArray();
        double[] budgets = new double[metrics.length];
        for (int k = 0; k < metrics.length; k++) {
            budgets[k] = problem.budgets().getOrDefault(constrained.get(k), Double.POSITIVE_INFINITY);
        }
        List<double[]> capSets = new ArrayList<>();
        if (problem.front().isEmpty()) {
            capSets.add(budgets);
        } else {
            int f = constrained.indexOf(problem.front().get(0));
            double low = blocks.minTotal(metrics[f]);
            double high = Math.min(budgets[f], blocks.maxTotal(metrics[f]) + switchCost(problem, metrics[f]));
            int count = Math.min(FRONT_CAPS, problem.frontPoints());
            for (int i = 0; i < count; i++) {
                double[] caps = budgets.clone();
                caps[f] = count == 1 ? high : low + (high - low) * (i + 1) / count;
                capSets.add(caps);
            }
        }
        Duration each = options.timeLimit().dividedBy(capSets.size());
        List<FrontPoint> points = new ArrayList<>();
        for (double[] caps : capSets) {
            double[] finite = finiteCaps(caps, blocks, metrics, problem);
            int[] initial = additiveStart(problem, blocks, checker, metrics, finite);
            ScaledModel model = new ScaledModel(problem, blocks, metrics, finite);
            List<BlockChoice> choices = new ArrayList<>();
            for (int b = 0; b < blocks.blockCount(); b++) {
                choices.add(new BlockChoice(b, blocks.candidateCount(b), initial[b]));
            }
            Configuration best = solver(model, options, each).solve(new Configuration(model, choices));
            int[] result = blocks.toChoices(best.candidates());
            FeasibilityChecker.Check check =
                    FeasibilityChecker.of(withCaps(problem, constrained, caps)).check(result);
            if (check.feasible()) {
                points.add(new FrontPoint(result, check.totals(), null));
            } else {
                int[] fallback = blocks.toChoices(initial);
                FeasibilityChecker.Check first = FeasibilityChecker.of(withCaps(problem, constrained, caps))
                        .check(fallback);
                if (first.feasible()) {
                    points.add(new FrontPoint(fallback, first.totals(), null));
                }
            }
            HardSoftLongScore score = best.getScore();
            stats.put("final_score", score == null ? null : score.toString());
        }
        if (!problem.front().isEmpty()) {
            points = Dominance.sortedFront(
                    points,
                    problem.minimizeIndex(),
                    problem.metricIndex(problem.front().get(0)));
        }
        stats.put("seconds", (System.nanoTime() - start) / 1e9);
        if (points.isEmpty()) {
            return new ParetoFront(
                    SolveStatus.FEASIBLE,
                    List.of(),
                    List.of(),
                    "Local search found no configuration within the budgets in the time given; try exact-front or ilp, which prove infeasibility.",
                    stats);
        }
        return ParetoFront.of(
                points, "%d point(s) from local search (no optimality proof).".formatted(points.size()), stats);
    }

    private static double switchCost(SearchProblem problem, int metric) {
        double cost = problem.transitionCosts().getOrDefault(problem.metrics().get(metric), 0.0);
        return cost * Math.max(0, problem.groups().size() - 1);
    }

    /** Budgets as given, with unbounded ones replaced by the largest reachable total (no effect). */
    private static double[] finiteCaps(double[] caps, TieBlocks blocks, int[] metrics, SearchProblem problem) {
        double[] finite = caps.clone();
        for (int k = 0; k < caps.length; k++) {
            if (caps[k] == Double.POSITIVE_INFINITY) {
                finite[k] = blocks.maxTotal(metrics[k]) + switchCost(problem, metrics[k]);
            }
        }
        return finite;
    }

    private static SearchProblem withCaps(SearchProblem problem, List<String> constrained, double[] caps) {
        Map<String, Double> budgets = new LinkedHashMap<>();
        for (int k = 0; k < caps.length; k++) {
            if (caps[k] != Double.POSITIVE_INFINITY) {
                budgets.put(constrained.get(k), caps[k]);
            }
        }
        return problem.withBudgets(budgets).withFront(List.of(), problem.frontPoints());
    }

    /**
     * The exact additive optimum (one budget) or the Lagrangian repair (several), with the budgets
     * lowered by the excess the transition costs cause until the configuration fits.
     */
    static int[] additiveStart(
            SearchProblem problem, TieBlocks blocks, FeasibilityChecker checker, int[] metrics, double[] caps) {
        int objective = problem.minimizeIndex();
        double[] additive = caps.clone();
        int[] best = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            int[] candidates;
            if (metrics.length == 1) {
                MultipleChoiceKnapsack knapsack = MultipleChoiceKnapsack.of(blocks, objective, metrics[0]);
                candidates = new CoreBranchAndBound(new LpRelaxation(knapsack), 200_000)
                        .solve(additive[0])
                        .candidates();
            } else if (metrics.length == 0) {
                candidates = new LagrangianRelaxation(blocks, objective, new int[0])
                        .solve(new double[0], 1)
                        .candidates();
            } else {
                candidates = new LagrangianRelaxation(blocks, objective, metrics)
                        .solve(additive, 100)
                        .candidates();
            }
            if (candidates == null) {
                break;
            }
            best = candidates;
            double[] totals = checker.totals(blocks.toChoices(candidates));
            boolean fits = true;
            for (int k = 0; k < metrics.length; k++) {
                double excess = totals[metrics[k]] - caps[k];
                if (excess > 0) {
                    fits = false;
                    additive[k] -= excess * 1.000001;
                }
            }
            if (fits) {
                return candidates;
            }
        }
        if (best != null) {
            return best; // the search repairs the rest (hard score)
        }
        int[] cheapest = new int[blocks.blockCount()];
        for (int b = 0; b < blocks.blockCount(); b++) {
            cheapest[b] = 0;
        }
        return cheapest;
    }

    private Solver<Configuration> solver(ScaledModel model, SolveOptions options, Duration limit) {
        // temperature: a small fraction of the typical objective step, so that the walk accepts
        // slightly worse configurations early and settles as time runs out
        long temperature = Math.max(1, typicalStep(model) / 4);
        TerminationConfig termination = new TerminationConfig().withSpentLimit(limit);
        if (moveLimit > 0) {
            termination = new TerminationConfig().withMoveCountLimit(moveLimit);
        }
        SolverConfig config = new SolverConfig()
                .withSolutionClass(Configuration.class)
                .withEntityClasses(BlockChoice.class)
                .withScoreDirectorFactory(
                        new ScoreDirectorFactoryConfig().withIncrementalScoreCalculatorClass(ConfigurationScore.class))
                .withEnvironmentMode(environment)
                .withRandomSeed(options.seed())
                .withTerminationConfig(termination)
                .withPhases(new LocalSearchPhaseConfig()
                        .withMoveSelectorConfig(
                                new MoveIteratorFactoryConfig().withMoveIteratorFactoryClass(RandomMoves.class))
                        .withAcceptorConfig(new LocalSearchAcceptorConfig()
                                .withSimulatedAnnealingStartingTemperature("0hard/%dsoft".formatted(temperature)))
                        .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(1)));
        return SolverFactory.<Configuration>create(config).buildSolver();
    }

    /** The median over blocks of the objective difference between their best two candidates. */
    private static long typicalStep(ScaledModel model) {
        List<Long> steps = new ArrayList<>();
        for (int b = 0; b < model.blockCount; b++) {
            if (model.candidates(b) < 2) {
                continue;
            }
            long low = Long.MAX_VALUE;
            long second = Long.MAX_VALUE;
            for (int c = 0; c < model.candidates(b); c++) {
                long value = model.objective[model.start[b] + c];
                if (value < low) {
                    second = low;
                    low = value;
                } else if (value < second) {
                    second = value;
                }
            }
            steps.add(second - low);
        }
        if (steps.isEmpty()) {
            return 1;
        }
        steps.sort(Long::compare);
        return Math.max(1, Math.max(steps.get(steps.size() / 2), model.objectiveSwitch));
    }
}
