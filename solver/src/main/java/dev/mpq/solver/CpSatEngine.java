package dev.mpq.solver;

import com.google.ortools.Loader;
import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverSolutionCallback;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.LinearExpr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ilp}: one configuration under any number of budgets, ties and pins, with CP-SAT (OR-Tools).
 *
 * <p>Model (in the fixed order of the OR-Tools samples): one boolean per block candidate; exactly
 * one per block; one linear constraint per budget; minimise the objective. Coefficients are scaled
 * to integers by {@link IntegerScaling}, and the answer is made exact in doubles:
 *
 * <ol>
 *   <li>Solve the <em>relaxed</em> model (floored budget coefficients and caps: every configuration
 *       feasible in doubles stays feasible), objective rounded, optimum v.
 *   <li>Enumerate every relaxed solution with objective in [v, v + 2n + 2] (n blocks), evaluate each
 *       in doubles and keep the best one that meets the real budgets. Any configuration better in
 *       doubles would lie in that window, so this one is optimal.
 *   <li>If none qualifies (a budget met only by rounding), solve the <em>conservative</em> model
 *       (ceiled coefficients: every solution is feasible in doubles) and report its proven gap to
 *       the relaxed bound.
 * </ol>
 */
public final class CpSatEngine implements SearchEngine {

    private static final int ENUMERATION_LIMIT = 10_000;

    static {
        Loader.loadNativeLibraries();
    }

    @Override
    public String name() {
        return "ilp";
    }

    @Override
    public String unsupportedReason(SearchProblem problem) {
        if (problem.hasTransitionCosts()) {
            return "ilp solves additive problems; transition costs need local-search";
        }
        if (!problem.front().isEmpty()) {
            return "ilp returns one configuration under budgets; for a front use exact-front (one front metric, budgets on it)";
        }
        return null;
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
        Map<Integer, Double> caps = new LinkedHashMap<>();
        problem.budgets().forEach((metric, max) -> caps.put(problem.metricIndex(metric), max));
        Result result = solveOne(blocks, problem.minimizeIndex(), caps, options);
        stats.put("seconds", (System.nanoTime() - start) / 1e9);
        stats.put("cp_sat_status", result.status);
        stats.put("enumerated", result.enumerated);
        if (result.candidates == null) {
            if (result.status.equals(CpSolverStatus.INFEASIBLE.name())) {
                return Infeasibility.conflicting(blocks, stats);
            }
            return new ParetoFront(
                    SolveStatus.FEASIBLE,
                    List.of(),
                    List.of(),
                    "CP-SAT found no configuration within the time limit (%s); raise time_limit_s."
                            .formatted(result.status),
                    stats);
        }
        int[] choices = blocks.toChoices(result.candidates);
        FrontPoint point = new FrontPoint(choices, FeasibilityChecker.totals(problem, choices), result.gap);
        String message = result.gap != null && result.gap == 0
                ? "Optimal configuration, exact in double precision."
                : "Best configuration found; proven relative gap %s.".formatted(result.gap);
        return ParetoFront.of(List.of(point), message, stats);
    }

    /** An answer of the block problem: a candidate per block (or null) and its proven gap. */
    record Result(int[] candidates, Double gap, String status, int enumerated) {}

    /**
     * Minimises {@code objective} over the blocks subject to {@code caps} (metric index to budget),
     * exact in doubles as described in the class comment.
     */
    static Result solveOne(TieBlocks blocks, int objective, Map<Integer, Double> caps, SolveOptions options) {
        int n = blocks.blockCount();
        IntegerScaling objectiveScale = IntegerScaling.forMaxTotal(blocks.maxTotal(objective));
        Model relaxed = build(blocks, objective, objectiveScale, caps, false);
        CpSolver solver = new CpSolver();
        solver.getParameters()
                .setMaxTimeInSeconds(options.timeLimitSeconds())
                .setNumWorkers(options.threads())
                .setRandomSeed((int) options.seed());
        CpSolverStatus status = solver.solve(relaxed.model);
        if (status == CpSolverStatus.INFEASIBLE) {
            return new Result(null, null, status.name(), 0);
        }
        if (status != CpSolverStatus.OPTIMAL && status != CpSolverStatus.FEASIBLE) {
            return new Result(null, null, status.name(), 0);
        }
        long v = Math.round(solver.objectiveValue());
        double lowerBound = Math.max(0, objectiveScale.unscale(solver.bestObjectiveBound() - n / 2.0));
        int[] incumbent = relaxed.read(solver);
        if (status == CpSolverStatus.OPTIMAL) {
            long window = 2L * n + 2;
            Enumeration found = enumerate(blocks, objective, objectiveScale, caps, v, v + window);
            if (found.best != null
                    && objectiveScale.factor() * found.bestValue + n / 2.0 <= v + window
                    && found.count < ENUMERATION_LIMIT) {
                return new Result(found.best, 0.0, status.name(), found.count);
            }
            if (found.best != null) {
                return new Result(found.best, gap(found.bestValue, lowerBound), status.name(), found.count);
            }
        } else if (feasibleInDoubles(blocks, caps, incumbent)) {
            return new Result(incumbent, gap(total(blocks, objective, incumbent), lowerBound), status.name(), 0);
        }
        Model conservative = build(blocks, objective, objectiveScale, caps, true);
        CpSolverStatus safeStatus = solver.solve(conservative.model);
        if (safeStatus != CpSolverStatus.OPTIMAL && safeStatus != CpSolverStatus.FEASIBLE) {
            return new Result(null, null, safeStatus.name(), 0);
        }
        int[] safe = conservative.read(solver);
        return new Result(safe, gap(total(blocks, objective, safe), lowerBound), safeStatus.name(), 0);
    }

    private static Double gap(double value, double lowerBound) {
        if (value <= 0) {
            return 0.0;
        }
        double gap = (value - lowerBound) / value;
        return gap <= ExactFrontEngine.EQUAL_RELATIVE ? 0.0 : gap;
    }

    private record Model(CpModel model, BoolVar[][] x, LinearExpr objective) {
        int[] read(CpSolver solver) {
            int[] candidates = new int[x.length];
            for (int b = 0; b < x.length; b++) {
                for (int c = 0; c < x[b].length; c++) {
                    if (solver.booleanValue(x[b][c])) {
                        candidates[b] = c;
                    }
                }
            }
            return candidates;
        }
    }

    private static Model build(
            TieBlocks blocks,
            int objective,
            IntegerScaling objectiveScale,
            Map<Integer, Double> caps,
            boolean conservative) {
        int n = blocks.blockCount();
        // Data is in `blocks`; variables:
        CpModel model = new CpModel();
        BoolVar[][] x = new BoolVar[n][];
        List<BoolVar> flat = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            x[b] = new BoolVar[blocks.candidateCount(b)];
            for (int c = 0; c < x[b].length; c++) {
                x[b][c] = model.newBoolVar("x_" + b + "_" + c);
                flat.add(x[b][c]);
            }
        }
        BoolVar[] all = flat.toArray(BoolVar[]::new);
        // Constraints: one candidate per block, then one row per budget.
        for (BoolVar[] block : x) {
            model.addExactlyOne(block);
        }
        for (Map.Entry<Integer, Double> cap : caps.entrySet()) {
            int metric = cap.getKey();
            double budget = cap.getValue();
            if (blocks.maxTotal(metric) <= budget) {
                continue; // every configuration meets it
            }
            IntegerScaling scale = IntegerScaling.forMaxTotal(blocks.maxTotal(metric));
            long[] coefficients = new long[all.length];
            int i = 0;
            for (int b = 0; b < n; b++) {
                for (int c = 0; c < x[b].length; c++) {
                    double value = blocks.value(b, c, metric);
                    coefficients[i++] = conservative ? scale.ceil(value) : scale.floor(value);
                }
            }
            model.addLessOrEqual(LinearExpr.weightedSum(all, coefficients), scale.floor(budget));
        }
        // Objective.
        long[] weights = new long[all.length];
        int i = 0;
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < x[b].length; c++) {
                weights[i++] = objectiveScale.round(blocks.value(b, c, objective));
            }
        }
        LinearExpr objectiveExpr = LinearExpr.weightedSum(all, weights);
        model.minimize(objectiveExpr);
        return new Model(model, x, objectiveExpr);
    }

    private record Enumeration(int[] best, double bestValue, int count) {}

    /** Every relaxed solution with scaled objective in [low, high]; the best feasible in doubles. */
    private static Enumeration enumerate(
            TieBlocks blocks,
            int objective,
            IntegerScaling objectiveScale,
            Map<Integer, Double> caps,
            long low,
            long high) {
        Model model = build(blocks, objective, objectiveScale, caps, false);
        model.model.clearObjective();
        model.model.addLinearConstraint(model.objective, low, high);
        CpSolver solver = new CpSolver();
        solver.getParameters().setEnumerateAllSolutions(true).setNumWorkers(1).setMaxTimeInSeconds(30);
        int[][] best = {null};
        double[] bestValue = {Double.POSITIVE_INFINITY};
        int[] count = {0};
        solver.solve(model.model, new CpSolverSolutionCallback() {
            @Override
            public void onSolutionCallback() {
                count[0]++;
                int[] candidates = new int[model.x.length];
                for (int b = 0; b < model.x.length; b++) {
                    for (int c = 0; c < model.x[b].length; c++) {
                        if (booleanValue(model.x[b][c])) {
                            candidates[b] = c;
                        }
                    }
                }
                if (feasibleInDoubles(blocks, caps, candidates)) {
                    double value = total(blocks, objective, candidates);
                    if (value < bestValue[0]) {
                        bestValue[0] = value;
                        best[0] = candidates;
                    }
                }
                if (count[0] >= ENUMERATION_LIMIT) {
                    stopSearch();
                }
            }
        });
        return new Enumeration(best[0], bestValue[0], count[0]);
    }

    static double total(TieBlocks blocks, int metric, int[] candidates) {
        double sum = 0;
        for (int b = 0; b < candidates.length; b++) {
            sum += blocks.value(b, candidates[b], metric);
        }
        return sum;
    }

    static boolean feasibleInDoubles(TieBlocks blocks, Map<Integer, Double> caps, int[] candidates) {
        for (Map.Entry<Integer, Double> cap : caps.entrySet()) {
            double budget = cap.getValue();
            if (total(blocks, cap.getKey(), candidates) > budget + ExactFrontEngine.EQUAL_RELATIVE * Math.abs(budget)) {
                return false;
            }
        }
        return true;
    }
}
