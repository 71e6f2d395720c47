package dev.mpq.solver;

import dev.mpq.solver.lagrange.LagrangianRelaxation;
import dev.mpq.solver.mckp.LpRelaxation;
import dev.mpq.solver.mckp.MultipleChoiceKnapsack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bounds}: instant answers with proofs of quality for problems of any size, by Lagrangian
 * relaxation ({@link LagrangianRelaxation}). Every point is a repaired, feasible configuration with
 * its proven relative gap to a lower bound on the optimum at that point's budget: the LP over the
 * convex hull of each tie block for one resource (exactly the best Lagrangian bound), subgradient
 * multipliers for several.
 *
 * <ul>
 *   <li>Budgets only: one point.
 *   <li>One front metric: {@code frontPoints} caps spread evenly over its feasible range; the gap
 *       of a point is taken against the bound at the point's own front value (the tightest budget it
 *       meets). Dominated repairs are dropped.
 *   <li>Several front metrics: a grid of caps over the front metrics' ranges.
 * </ul>
 *
 * Additive problems only (transition costs: use exact-front, ilp or local-search).
 */
public final class BoundsEngine implements SearchEngine {

    /** Subgradient iterations per point with several budgets. */
    static final int ITERATIONS = 150;

    @Override
    public String name() {
        return "bounds";
    }

    @Override
    public boolean exact() {
        return false;
    }

    @Override
    public String unsupportedReason(SearchProblem problem) {
        if (problem.hasTransitionCosts()) {
            return "bounds relaxes additive problems; with transition costs use exact-front, ilp or local-search";
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
        List<Violation> violations = Infeasibility.unreachableAlone(blocks);
        if (!violations.isEmpty()) {
            stats.put("seconds", seconds(start));
            return Infeasibility.unreachable(violations, stats);
        }
        int objective = problem.minimizeIndex();
        List<String> constrained = new ArrayList<>(problem.budgets().keySet());
        for (String metric : problem.front()) {
            if (!constrained.contains(metric)) {
                constrained.add(metric);
            }
        }
        int[] resources = constrained.stream().mapToInt(problem::metricIndex).toArray();
        double[] budgets = new double[resources.length];
        for (int k = 0; k < resources.length; k++) {
            budgets[k] = problem.budgets().getOrDefault(constrained.get(k), Double.POSITIVE_INFINITY);
        }
        LagrangianRelaxation relaxation = new LagrangianRelaxation(blocks, objective, resources);
        List<FrontPoint> points = new ArrayList<>();
        ParetoFront result;
        if (problem.front().isEmpty()) {
            LagrangianRelaxation.Result answer = relaxation.solve(budgets, ITERATIONS);
            FrontPoint point = answer.candidates() == null
                    ? fallback(problem, blocks, resources, budgets, answer.lowerBound(), options, stats)
                    : point(blocks, checker, answer);
            if (point == null) {
                result = Infeasibility.conflicting(blocks, stats);
            } else {
                points.add(point);
                result = ParetoFront.of(points, message(points), stats);
            }
        } else if (problem.front().size() == 1
                && problem.budgets().keySet().stream()
                        .allMatch(m -> m.equals(problem.front().get(0)))) {
            result = ParetoFront.of(singleResource(problem, blocks, checker, points, stats), "", stats);
            result = new ParetoFront(result.status(), result.points(), List.of(), message(result.points()), stats);
        } else {
            int[] fronts =
                    problem.front().stream().mapToInt(problem::metricIndex).toArray();
            double[] low = new double[fronts.length];
            double[] high = new double[fronts.length];
            for (int f = 0; f < fronts.length; f++) {
                low[f] = blocks.minTotal(fronts[f]);
                high[f] = Math.min(
                        problem.budgets().getOrDefault(problem.front().get(f), Double.POSITIVE_INFINITY),
                        blocks.maxTotal(fronts[f]));
            }
            int perAxis = Math.max(2, (int) Math.floor(Math.pow(problem.frontPoints(), 1.0 / fronts.length)));
            int[] index = new int[fronts.length];
            while (true) {
                double[] caps = budgets.clone();
                for (int f = 0; f < fronts.length; f++) {
                    int k = constrained.indexOf(problem.front().get(f));
                    caps[k] = Math.min(caps[k], low[f] + (high[f] - low[f]) * index[f] / (perAxis - 1));
                }
                LagrangianRelaxation.Result answer = relaxation.solve(caps, ITERATIONS);
                FrontPoint point = answer.candidates() == null
                        ? fallback(problem, blocks, resources, caps, answer.lowerBound(), options, stats)
                        : point(blocks, checker, answer);
                if (point != null) {
                    points.add(point);
                }
                int f = 0;
                while (f < fronts.length && ++index[f] == perAxis) {
                    index[f] = 0;
                    f++;
                }
                if (f == fronts.length) {
                    break;
                }
            }
            points = Dominance.nonDominated(points, objective, fronts);
            result = points.isEmpty()
                    ? Infeasibility.conflicting(blocks, stats)
                    : ParetoFront.of(points, message(points), stats);
        }
        return result.withStats(Map.of("seconds", seconds(start)));
    }

    /** One front metric with budgets on it only: the exact LP bound and its greedy repair per cap. */
    private static List<FrontPoint> singleResource(
            SearchProblem problem,
            TieBlocks blocks,
            FeasibilityChecker checker,
            List<FrontPoint> points,
            Map<String, Object> stats) {
        int objective = problem.minimizeIndex();
        String name = problem.front().get(0);
        int resource = problem.metricIndex(name);
        MultipleChoiceKnapsack knapsack = MultipleChoiceKnapsack.of(blocks, objective, resource);
        LpRelaxation lp = new LpRelaxation(knapsack);
        double low = knapsack.minResource();
        double high = Math.min(problem.budgets().getOrDefault(name, Double.POSITIVE_INFINITY), lp.saturation());
        for (double cap : ExactFrontEngine.evenBudgets(low, high, problem.frontPoints())) {
            int[] repair = lp.greedy(cap);
            if (repair == null) {
                continue;
            }
            int[] choices = blocks.toChoices(repair);
            double[] totals = checker.totals(choices);
            double bound = Math.min(lp.bound(totals[resource]), totals[objective]);
            double gap = totals[objective] <= 0 ? 0 : Math.max(0, (totals[objective] - bound) / totals[objective]);
            points.add(new FrontPoint(choices, totals, gap <= Dominance.EQUAL_RELATIVE ? 0.0 : gap));
        }
        stats.put("method", "LP over convex hulls, greedy repair");
        return Dominance.sortedFront(points, objective, resource);
    }

    /** Seconds CP-SAT may spend finding a configuration when the greedy repair finds none. */
    static final double FALLBACK_SECONDS = 5;

    /**
     * When the greedy repair fails under several budgets: CP-SAT (as the ilp engine builds it) looks
     * for a configuration within the caps for a few seconds; its gap is taken against the Lagrangian
     * bound. Null when it finds none (the caps may well be infeasible together).
     */
    private static FrontPoint fallback(
            SearchProblem problem,
            TieBlocks blocks,
            int[] resources,
            double[] caps,
            double lowerBound,
            SolveOptions options,
            Map<String, Object> stats) {
        long seconds = (long) Math.min(FALLBACK_SECONDS, options.timeLimitSeconds());
        SolveOptions limited = new SolveOptions(
                options.seed(), java.time.Duration.ofMillis(Math.max(100, seconds * 1000)), options.threads());
        CpSatEngine.Context context = new CpSatEngine.Context(
                problem, limited, System.nanoTime() + limited.timeLimit().toNanos());
        Map<Integer, Double> capMap = new java.util.HashMap<>();
        for (int k = 0; k < resources.length; k++) {
            if (caps[k] != Double.POSITIVE_INFINITY) {
                capMap.merge(resources[k], caps[k], Math::min);
            }
        }
        CpSatEngine.Result found = CpSatEngine.solveOne(context, problem.minimizeIndex(), capMap);
        stats.merge("cp_sat_fallbacks", 1, (a, b) -> (Integer) a + (Integer) b);
        if (found.candidates() == null) {
            return null;
        }
        FrontPoint point = context.point(found.candidates(), 0.0);
        double value = point.total(problem.minimizeIndex());
        double bound = Math.min(value, Double.isFinite(lowerBound) ? lowerBound : 0.0);
        double gap = value <= 0 ? 0 : Math.max(0, (value - bound) / value);
        if (found.gap() != null && found.gap() == 0) {
            gap = 0; // CP-SAT proved it optimal
        }
        return new FrontPoint(point.choices(), point.totals(), gap <= Dominance.EQUAL_RELATIVE ? 0.0 : gap);
    }

    private static FrontPoint point(TieBlocks blocks, FeasibilityChecker checker, LagrangianRelaxation.Result answer) {
        int[] choices = blocks.toChoices(answer.candidates());
        double gap = answer.gap();
        return new FrontPoint(choices, checker.totals(choices), gap <= Dominance.EQUAL_RELATIVE ? 0.0 : gap);
    }

    private static String message(List<FrontPoint> points) {
        double max = 0;
        for (FrontPoint point : points) {
            max = Math.max(max, point.gap());
        }
        return "%d point(s) from Lagrangian relaxation and repair; largest proven relative gap %.3g."
                .formatted(points.size(), max);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
