package dev.mpq.solver;

import com.google.ortools.Loader;
import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverSolutionCallback;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ilp}: CP-SAT (OR-Tools) for one configuration under any number of budgets, ties, pins and
 * transition costs, and epsilon-constraint fronts over one or more front metrics.
 *
 * <p>Model (in the fixed order of the OR-Tools samples): one boolean per tie-block candidate; exactly
 * one per block; with transition costs one boolean per pair of consecutive groups that is 1 exactly
 * when their option ids differ; one linear row per budget; minimise the objective. Coefficients are
 * scaled to integers by {@link IntegerScaling} (each metric's largest possible total maps to 2^50),
 * and every answer is made exact in doubles ({@link #solveOne}):
 *
 * <ol>
 *   <li>Solve the <em>relaxed</em> model (floored budget coefficients and caps: every configuration
 *       feasible in doubles stays feasible), objective rounded, optimum v.
 *   <li>Enumerate every relaxed solution with objective in [v, v + 2t + 2] (t rounded terms),
 *       evaluate each in doubles and keep the best one that meets the real budgets. Any
 *       configuration better in doubles would lie in that window, so this one is optimal.
 *   <li>If none qualifies (a budget met only by rounding), solve the <em>conservative</em> model
 *       (ceiled coefficients: every solution is feasible in doubles) and report its proven gap to
 *       the relaxed bound.
 * </ol>
 *
 * <p>Fronts: a point is the lexicographic minimum of (minimize, front metrics...) under the budgets
 * and the epsilon caps, so every point is non-dominated. One front metric: the caps walk down from
 * the largest useful value, each next cap strictly below the last point (relative 2e-12), until
 * nothing is left; more points than {@code frontPoints} switch to that many caps spread evenly over
 * the metric's feasible range. Several front metrics: the search region is kept as a set of local
 * upper bounds (Klamroth, Lacour and Vanderpool 2015) in the space of (minimize, front
 * metrics...), so that a found point removes only the region it dominates: each box is solved, a
 * found point splits every box above it, empty boxes are dropped; past {@code frontPoints} points a
 * grid of caps over the front metrics' ranges is solved instead.
 */
public final class CpSatEngine implements SearchEngine {

    private static final int ENUMERATION_LIMIT = 10_000;

    /** Relative distance below a found point's value that the next epsilon cap takes. */
    static final double STRICTLY_BELOW = 2e-12;

    static {
        Loader.loadNativeLibraries();
    }

    @Override
    public String name() {
        return "ilp";
    }

    @Override
    public String unsupportedReason(SearchProblem problem) {
        return null;
    }

    @Override
    public ParetoFront solve(SearchProblem problem, SolveOptions options) {
        long start = System.nanoTime();
        long deadline = start + options.timeLimit().toNanos();
        Context context = new Context(problem, options, deadline);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("engine", name());
        stats.put("blocks", context.blocks.blockCount());
        List<Violation> violations = Infeasibility.unreachableAlone(context.blocks, context::minimumAlone);
        if (!violations.isEmpty()) {
            stats.put("seconds", seconds(start));
            return Infeasibility.unreachable(violations, stats);
        }
        Map<Integer, Double> caps = new HashMap<>();
        problem.budgets().forEach((metric, max) -> caps.put(problem.metricIndex(metric), max));
        ParetoFront result;
        if (problem.front().isEmpty()) {
            result = single(context, caps, stats);
        } else if (problem.front().size() == 1) {
            result = oneFrontMetric(context, caps, stats);
        } else {
            result = severalFrontMetrics(context, caps, stats);
        }
        stats.put("cp_sat_solves", context.solves);
        stats.put("seconds", seconds(start));
        return result.withStats(stats);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private ParetoFront single(Context context, Map<Integer, Double> caps, Map<String, Object> stats) {
        SearchProblem problem = context.problem;
        Result result = solveOne(context, problem.minimizeIndex(), caps);
        stats.put("cp_sat_status", result.status);
        stats.put("enumerated", result.enumerated);
        if (result.candidates == null) {
            if (result.status.equals(CpSolverStatus.INFEASIBLE.name())) {
                return Infeasibility.conflicting(context.blocks, context::minimumAlone, stats);
            }
            return new ParetoFront(
                    SolveStatus.FEASIBLE,
                    List.of(),
                    List.of(),
                    "CP-SAT found no configuration within the time limit (%s); raise time_limit_s."
                            .formatted(result.status),
                    stats);
        }
        FrontPoint point = context.point(result.candidates, result.gap);
        String message = result.gap != null && result.gap == 0
                ? "Optimal configuration, exact in double precision."
                : "Best configuration found; proven relative gap %s.".formatted(result.gap);
        return ParetoFront.of(List.of(point), message, stats);
    }

    // ---------------------------------------------------------------- one front metric

    private ParetoFront oneFrontMetric(Context context, Map<Integer, Double> caps, Map<String, Object> stats) {
        SearchProblem problem = context.problem;
        int objective = problem.minimizeIndex();
        int front = problem.metricIndex(problem.front().get(0));
        int[] order = {objective, front};
        List<FrontPoint> points = new ArrayList<>();
        boolean timedOut = false;
        Map<Integer, Double> walk = new HashMap<>(caps);
        Lexicographic first = lexmin(context, order, walk);
        if (first.candidates == null) {
            return noPoint(context, first, stats);
        }
        points.add(context.point(first.candidates, first.gap));
        // walk down the front metric until nothing is left or too many points
        while (points.size() <= problem.frontPoints()) {
            if (context.timeUp()) {
                timedOut = true;
                break;
            }
            double last = points.get(points.size() - 1).total(front);
            tighten(walk, front, below(last));
            Lexicographic next = lexmin(context, order, walk);
            if (next.candidates == null) {
                timedOut = !next.infeasible;
                break;
            }
            points.add(context.point(next.candidates, next.gap));
        }
        if (points.size() > problem.frontPoints()) {
            points = budgetPoints(context, caps, order, front, points.get(0).total(front), stats);
            stats.put("method", "epsilon-constraint at %d caps".formatted(problem.frontPoints()));
        } else {
            stats.put("method", "epsilon-constraint walk (complete front)");
        }
        points = Dominance.sortedFront(points, objective, front);
        return front(points, timedOut, stats);
    }

    private List<FrontPoint> budgetPoints(
            Context context,
            Map<Integer, Double> caps,
            int[] order,
            int front,
            double high,
            Map<String, Object> stats) {
        Result lowest = solveOne(context, front, caps);
        double low = lowest.candidates == null ? high : context.totals(lowest.candidates)[front];
        double[] budgets = ExactFrontEngine.evenBudgets(low, high, context.problem.frontPoints());
        List<FrontPoint> points = new ArrayList<>();
        for (double budget : budgets) {
            if (context.timeUp()) {
                stats.put("time_limit_hit", true);
                break;
            }
            Map<Integer, Double> at = new HashMap<>(caps);
            tighten(at, front, budget);
            Lexicographic answer = lexmin(context, order, at);
            if (answer.candidates != null) {
                points.add(context.point(answer.candidates, answer.gap));
            }
        }
        return points;
    }

    // ---------------------------------------------------------------- several front metrics

    private ParetoFront severalFrontMetrics(Context context, Map<Integer, Double> caps, Map<String, Object> stats) {
        SearchProblem problem = context.problem;
        int objective = problem.minimizeIndex();
        int m = problem.front().size();
        int[] fronts = new int[m];
        int[] order = new int[m + 1];
        order[0] = objective;
        for (int k = 0; k < m; k++) {
            fronts[k] = problem.metricIndex(problem.front().get(k));
            order[k + 1] = fronts[k];
        }
        // local upper bounds over (minimize, front metrics...): a found point removes exactly the
        // region it dominates from every box, which is valid because the space includes the objective
        List<double[]> upper = new ArrayList<>();
        upper.add(filled(m + 1, Double.POSITIVE_INFINITY));
        List<FrontPoint> points = new ArrayList<>();
        boolean timedOut = false;
        boolean tooMany = false;
        while (!upper.isEmpty()) {
            if (context.timeUp()) {
                timedOut = true;
                break;
            }
            double[] box = upper.remove(upper.size() - 1);
            Map<Integer, Double> at = new HashMap<>(caps);
            for (int k = 0; k <= m; k++) {
                if (box[k] != Double.POSITIVE_INFINITY) {
                    tighten(at, order[k], below(box[k]));
                }
            }
            Lexicographic answer = lexmin(context, order, at);
            if (answer.candidates == null) {
                if (!answer.infeasible) {
                    timedOut = true;
                    break;
                }
                continue; // an empty box
            }
            FrontPoint point = context.point(answer.candidates, answer.gap);
            points.add(point);
            if (points.size() > problem.frontPoints()) {
                tooMany = true;
                break;
            }
            double[] z = new double[m + 1];
            for (int k = 0; k <= m; k++) {
                z[k] = point.total(order[k]);
            }
            split(upper, box, z);
        }
        if (points.isEmpty()) {
            Lexicographic none = lexmin(context, order, caps);
            return noPoint(context, none, stats);
        }
        if (tooMany) {
            points = gridPoints(context, caps, order, fronts, stats);
            stats.put("method", "epsilon-constraint on a grid of caps");
        } else {
            stats.put("method", "epsilon-constraint over local upper bounds (complete front)");
        }
        points = Dominance.nonDominated(points, objective, fronts);
        return front(points, timedOut, stats);
    }

    /**
     * Updates the local upper bounds after point z was found in {@code box}: every bound strictly
     * above z (the solved box among them) is replaced by its m projections onto z, then bounds
     * dominated by another bound are dropped (their boxes are covered).
     */
    static void split(List<double[]> upper, double[] box, double[] z) {
        List<double[]> all = new ArrayList<>(upper);
        all.add(box);
        List<double[]> next = new ArrayList<>();
        for (double[] u : all) {
            boolean above = true;
            for (int k = 0; k < z.length; k++) {
                above &= z[k] < u[k];
            }
            if (!above) {
                next.add(u);
                continue;
            }
            for (int k = 0; k < z.length; k++) {
                double[] child = u.clone();
                child[k] = z[k];
                next.add(child);
            }
        }
        upper.clear();
        for (int i = 0; i < next.size(); i++) {
            double[] u = next.get(i);
            boolean covered = false;
            for (int j = 0; j < next.size() && !covered; j++) {
                if (i == j) {
                    continue;
                }
                double[] v = next.get(j);
                boolean below = true;
                boolean equal = true;
                for (int k = 0; k < u.length; k++) {
                    below &= u[k] <= v[k];
                    equal &= u[k] == v[k];
                }
                covered = below && (!equal || j < i);
            }
            if (!covered) {
                upper.add(u);
            }
        }
    }

    private List<FrontPoint> gridPoints(
            Context context, Map<Integer, Double> caps, int[] order, int[] fronts, Map<String, Object> stats) {
        int m = fronts.length;
        int perAxis = Math.max(2, (int) Math.floor(Math.pow(context.problem.frontPoints(), 1.0 / m)));
        double[] low = new double[m];
        double[] high = new double[m];
        Lexicographic best = lexmin(context, order, caps);
        double[] bestTotals = best.candidates == null ? null : context.totals(best.candidates);
        for (int k = 0; k < m; k++) {
            Result alone = solveOne(context, fronts[k], caps);
            low[k] = alone.candidates == null ? 0 : context.totals(alone.candidates)[fronts[k]];
            high[k] = bestTotals == null ? low[k] : Math.max(low[k], bestTotals[fronts[k]]);
        }
        List<FrontPoint> points = new ArrayList<>();
        int[] index = new int[m];
        while (true) {
            if (context.timeUp()) {
                stats.put("time_limit_hit", true);
                break;
            }
            Map<Integer, Double> at = new HashMap<>(caps);
            for (int k = 0; k < m; k++) {
                tighten(at, fronts[k], low[k] + (high[k] - low[k]) * index[k] / (perAxis - 1));
            }
            Lexicographic answer = lexmin(context, order, at);
            if (answer.candidates != null) {
                points.add(context.point(answer.candidates, answer.gap));
            }
            int k = 0;
            while (k < m && ++index[k] == perAxis) {
                index[k] = 0;
                k++;
            }
            if (k == m) {
                break;
            }
        }
        return points;
    }

    private static double[] filled(int m, double value) {
        double[] u = new double[m];
        java.util.Arrays.fill(u, value);
        return u;
    }

    /** A cap strictly below {@code value} (up to the relative noise of summing doubles). */
    static double below(double value) {
        return value - STRICTLY_BELOW * Math.abs(value) - Double.MIN_NORMAL;
    }

    private static void tighten(Map<Integer, Double> caps, int metric, double cap) {
        caps.merge(metric, cap, Math::min);
    }

    private ParetoFront front(List<FrontPoint> points, boolean timedOut, Map<String, Object> stats) {
        boolean proven = points.stream().allMatch(FrontPoint::proven);
        String message = timedOut
                ? "Time limit reached: %d points found, the front may be incomplete; raise time_limit_s."
                        .formatted(points.size())
                : "%d front points, %s."
                        .formatted(points.size(), proven ? "each proven optimal" : "each with its proven gap");
        if (timedOut) {
            stats.put("time_limit_hit", true);
            return new ParetoFront(SolveStatus.FEASIBLE, points, List.of(), message, stats);
        }
        return ParetoFront.of(points, message, stats);
    }

    private ParetoFront noPoint(Context context, Lexicographic answer, Map<String, Object> stats) {
        if (answer.infeasible) {
            return Infeasibility.conflicting(context.blocks, context::minimumAlone, stats);
        }
        return new ParetoFront(
                SolveStatus.FEASIBLE,
                List.of(),
                List.of(),
                "CP-SAT found no configuration within the time limit; raise time_limit_s.",
                stats);
    }

    // ---------------------------------------------------------------- lexicographic and single solves

    /** A lexicographic minimum: candidates (null if none), the first stage's gap, infeasibility. */
    record Lexicographic(int[] candidates, Double gap, boolean infeasible) {}

    /**
     * Minimises {@code order[0]}, then {@code order[1]} with the first held at its optimum, and so
     * on, under {@code caps}; exact in doubles up to the relative tolerance of budget checks.
     */
    static Lexicographic lexmin(Context context, int[] order, Map<Integer, Double> caps) {
        Map<Integer, Double> held = new HashMap<>(caps);
        Result first = solveOne(context, order[0], held);
        if (first.candidates == null) {
            return new Lexicographic(null, null, first.status.equals(CpSolverStatus.INFEASIBLE.name()));
        }
        int[] best = first.candidates;
        for (int k = 1; k < order.length; k++) {
            double value = context.totals(best)[order[k - 1]];
            tighten(held, order[k - 1], value);
            Result next = solveOne(context, order[k], held);
            if (next.candidates == null) {
                break; // keep the best so far: it meets every cap
            }
            best = next.candidates;
        }
        return new Lexicographic(best, first.gap, false);
    }

    /** An answer of the block problem: a candidate per block (or null) and its proven gap. */
    record Result(int[] candidates, Double gap, String status, int enumerated) {}

    /**
     * Minimises {@code objective} over the blocks subject to {@code caps} (metric index to budget),
     * exact in doubles as described in the class comment.
     */
    static Result solveOne(Context context, int objective, Map<Integer, Double> caps) {
        context.solves++;
        int terms = context.blocks.blockCount() + context.pairs;
        IntegerScaling objectiveScale = context.scaling(objective);
        Model relaxed = context.build(objective, caps, false);
        CpSolver solver = context.solver();
        CpSolverStatus status = solver.solve(relaxed.model);
        if (status != CpSolverStatus.OPTIMAL && status != CpSolverStatus.FEASIBLE) {
            return new Result(null, null, status.name(), 0);
        }
        long v = Math.round(solver.objectiveValue());
        double lowerBound = Math.max(0, objectiveScale.unscale(solver.bestObjectiveBound() - terms / 2.0));
        int[] incumbent = relaxed.read(solver);
        if (status == CpSolverStatus.OPTIMAL) {
            long window = 2L * terms + 2;
            Enumeration found = enumerate(context, objective, caps, v, v + window);
            if (found.best != null
                    && objectiveScale.factor() * found.bestValue + terms / 2.0 <= v + window
                    && found.count < ENUMERATION_LIMIT) {
                return new Result(found.best, 0.0, status.name(), found.count);
            }
            if (found.best != null) {
                return new Result(found.best, gap(found.bestValue, lowerBound), status.name(), found.count);
            }
        } else if (context.feasibleInDoubles(caps, incumbent)) {
            return new Result(incumbent, gap(context.totals(incumbent)[objective], lowerBound), status.name(), 0);
        }
        Model conservative = context.build(objective, caps, true);
        CpSolverStatus safeStatus = solver.solve(conservative.model);
        if (safeStatus != CpSolverStatus.OPTIMAL && safeStatus != CpSolverStatus.FEASIBLE) {
            return new Result(null, null, safeStatus.name(), 0);
        }
        int[] safe = conservative.read(solver);
        return new Result(safe, gap(context.totals(safe)[objective], lowerBound), safeStatus.name(), 0);
    }

    private static Double gap(double value, double lowerBound) {
        if (value <= 0) {
            return 0.0;
        }
        double gap = (value - lowerBound) / value;
        return gap <= ExactFrontEngine.EQUAL_RELATIVE ? 0.0 : gap;
    }

    private record Enumeration(int[] best, double bestValue, int count) {}

    /** Every relaxed solution with scaled objective in [low, high]; the best feasible in doubles. */
    private static Enumeration enumerate(
            Context context, int objective, Map<Integer, Double> caps, long low, long high) {
        Model model = context.build(objective, caps, false);
        model.model.clearObjective();
        model.model.addLinearConstraint(model.objective, low, high);
        CpSolver solver = new CpSolver();
        solver.getParameters()
                .setEnumerateAllSolutions(true)
                .setNumWorkers(1)
                .setMaxTimeInSeconds(Math.max(0.5, Math.min(30, context.remainingSeconds())));
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
                if (context.feasibleInDoubles(caps, candidates)) {
                    double value = context.totals(candidates)[objective];
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

    /** The problem, its tie blocks and transition pairs, and the run's limits. */
    static final class Context {
        final SearchProblem problem;
        final TieBlocks blocks;
        final FeasibilityChecker checker;
        final SolveOptions options;
        final long deadline;
        /** blockOf[g]: the block of group g. */
        final int[] blockOf;

        final int pairs;
        /** Transition cost per metric (0 where none). */
        final double[] transition;

        final Map<Integer, IntegerScaling> scalings = new HashMap<>();
        int solves;

        Context(SearchProblem problem, SolveOptions options, long deadline) {
            this.problem = problem;
            this.blocks = TieBlocks.of(problem);
            this.checker = FeasibilityChecker.of(problem);
            this.options = options;
            this.deadline = deadline;
            int groups = problem.groups().size();
            blockOf = new int[groups];
            for (int b = 0; b < blocks.blockCount(); b++) {
                for (int g : blocks.members(b)) {
                    blockOf[g] = b;
                }
            }
            transition = new double[problem.metrics().size()];
            problem.transitionCosts().forEach((metric, cost) -> transition[problem.metricIndex(metric)] += cost);
            pairs = problem.hasTransitionCosts() ? groups - 1 : 0;
        }

        /**
         * The smallest total of a metric under ties and pins: the additive minimum without
         * transition costs, otherwise a CP-SAT solve (the additive minimum, a lower bound, if it
         * finds nothing in time).
         */
        double minimumAlone(int metric) {
            if (pairs == 0 || transition[metric] == 0) {
                return blocks.minTotal(metric);
            }
            Map<Integer, Double> none = Map.of();
            Result result = solveOne(this, metric, none);
            return result.candidates == null ? blocks.minTotal(metric) : totals(result.candidates)[metric];
        }

        boolean timeUp() {
            return System.nanoTime() >= deadline;
        }

        double remainingSeconds() {
            return Math.max(0, (deadline - System.nanoTime()) / 1e9);
        }

        /**
         * CP-SAT with full linearization (its LP bound is what proves these knapsacks). Its parallel
         * portfolio needs about four workers to include the LP-based ones: with fewer threads one
         * worker is used (two default workers were seen to stall on problems one LP worker proves in
         * a fraction of a second).
         */
        CpSolver solver() {
            CpSolver solver = new CpSolver();
            solver.getParameters()
                    .setMaxTimeInSeconds(Math.max(0.05, remainingSeconds()))
                    .setNumWorkers(options.threads() < 4 ? 1 : options.threads())
                    .setLinearizationLevel(2)
                    .setRandomSeed((int) options.seed());
            return solver;
        }

        /** Each metric's scaling: its largest possible total (transitions included) maps to 2^50. */
        IntegerScaling scaling(int metric) {
            return scalings.computeIfAbsent(
                    metric, m -> IntegerScaling.forMaxTotal(blocks.maxTotal(m) + pairs * transition[m]));
        }

        int[] choices(int[] candidates) {
            return blocks.toChoices(candidates);
        }

        double[] totals(int[] candidates) {
            return checker.totals(blocks.toChoices(candidates));
        }

        FrontPoint point(int[] candidates, Double gap) {
            int[] choices = blocks.toChoices(candidates);
            return new FrontPoint(choices, checker.totals(choices), gap);
        }

        boolean feasibleInDoubles(Map<Integer, Double> caps, int[] candidates) {
            double[] totals = totals(candidates);
            for (Map.Entry<Integer, Double> cap : caps.entrySet()) {
                double budget = cap.getValue();
                if (totals[cap.getKey()] > budget + ExactFrontEngine.EQUAL_RELATIVE * Math.abs(budget)) {
                    return false;
                }
            }
            return true;
        }

        /** The model of the class comment; conservative = ceiled budget coefficients. */
        Model build(int objective, Map<Integer, Double> caps, boolean conservative) {
            int n = blocks.blockCount();
            // Data is in `blocks`; variables: candidates, then switches between consecutive groups.
            CpModel model = new CpModel();
            BoolVar[][] x = new BoolVar[n][];
            for (int b = 0; b < n; b++) {
                x[b] = new BoolVar[blocks.candidateCount(b)];
                for (int c = 0; c < x[b].length; c++) {
                    x[b][c] = model.newBoolVar("x_" + b + "_" + c);
                }
            }
            BoolVar[] change = new BoolVar[pairs];
            for (int g = 0; g < pairs; g++) {
                change[g] = model.newBoolVar("switch_" + g);
            }
            // Constraints: one candidate per block; switches exact; one row per budget.
            for (BoolVar[] block : x) {
                model.addExactlyOne(block);
            }
            if (pairs > 0) {
                linkSwitches(model, x, change);
            }
            for (Map.Entry<Integer, Double> cap : caps.entrySet()) {
                int metric = cap.getKey();
                double budget = cap.getValue();
                if (blocks.maxTotal(metric) + pairs * transition[metric] <= budget) {
                    continue; // every configuration meets it
                }
                IntegerScaling scale = scaling(metric);
                LinearExprBuilder row = LinearExpr.newBuilder();
                for (int b = 0; b < n; b++) {
                    for (int c = 0; c < x[b].length; c++) {
                        double value = blocks.value(b, c, metric);
                        row.addTerm(x[b][c], conservative ? scale.ceil(value) : scale.floor(value));
                    }
                }
                if (transition[metric] > 0) {
                    long coefficient = conservative ? scale.ceil(transition[metric]) : scale.floor(transition[metric]);
                    for (BoolVar variable : change) {
                        row.addTerm(variable, coefficient);
                    }
                }
                model.addLessOrEqual(row, scale.floor(budget));
            }
            // Objective.
            IntegerScaling objectiveScale = scaling(objective);
            LinearExprBuilder goal = LinearExpr.newBuilder();
            for (int b = 0; b < n; b++) {
                for (int c = 0; c < x[b].length; c++) {
                    goal.addTerm(x[b][c], objectiveScale.round(blocks.value(b, c, objective)));
                }
            }
            if (transition[objective] > 0) {
                long coefficient = objectiveScale.round(transition[objective]);
                for (BoolVar variable : change) {
                    goal.addTerm(variable, coefficient);
                }
            }
            LinearExpr objectiveExpr = goal.build();
            model.minimize(objectiveExpr);
            return new Model(model, x, objectiveExpr);
        }

        /**
         * switch_g = 1 exactly when groups g and g+1 take different option ids: for every id of g,
         * switch >= [g takes it] - [g+1 takes it]; for every id both can take, switch <= 2 - [g takes
         * it] - [g+1 takes it].
         */
        private void linkSwitches(CpModel model, BoolVar[][] x, BoolVar[] change) {
            List<Group> groups = problem.groups();
            for (int g = 0; g + 1 < groups.size(); g++) {
                Map<String, BoolVar> left = takes(x, g);
                Map<String, BoolVar> right = takes(x, g + 1);
                for (Map.Entry<String, BoolVar> id : left.entrySet()) {
                    BoolVar other = right.get(id.getKey());
                    if (other == null) {
                        model.addImplication(id.getValue(), change[g]);
                    } else if (other == id.getValue()) {
                        model.addImplication(id.getValue(), change[g].not()); // same block: never a switch
                    } else {
                        // switch >= left - right and switch <= 2 - left - right
                        model.addLinearConstraint(
                                LinearExpr.weightedSum(
                                        new BoolVar[] {change[g], id.getValue(), other}, new long[] {1, -1, 1}),
                                0,
                                Long.MAX_VALUE / 4);
                        model.addBoolOr(new com.google.ortools.sat.Literal[] {
                            change[g].not(), id.getValue().not(), other.not()
                        });
                    }
                }
                for (Map.Entry<String, BoolVar> id : right.entrySet()) {
                    if (!left.containsKey(id.getKey())) {
                        model.addImplication(id.getValue(), change[g]);
                    }
                }
            }
        }

        /** Option id of group g to the boolean of its block's candidate with that id. */
        private Map<String, BoolVar> takes(BoolVar[][] x, int g) {
            int b = blockOf[g];
            Map<String, BoolVar> map = new LinkedHashMap<>();
            for (int c = 0; c < x[b].length; c++) {
                map.put(blocks.candidateId(b, c), x[b][c]);
            }
            return map;
        }
    }
}
