package dev.mpq.solver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entry point of the solver module: picks an engine (or takes the one asked for), runs it, and
 * passes every returned configuration through the {@link FeasibilityChecker} before anyone sees it.
 * A point that fails the check is a defect of the engine and raises {@link IllegalStateException}.
 */
public final class Solver {

    private final List<SearchEngine> engines;

    /** Every engine; the default choice tries the exact ones in this order. */
    public Solver() {
        this(List.of(
                new ExactFrontEngine(),
                new CpSatEngine(),
                new BoundsEngine(),
                new dev.mpq.solver.local.LocalSearchEngine(),
                new dev.mpq.solver.evolution.EvolutionaryEngine()));
    }

    public Solver(List<SearchEngine> engines) {
        this.engines = List.copyOf(engines);
    }

    public List<String> engineNames() {
        return engines.stream().map(SearchEngine::name).toList();
    }

    /**
     * Solves with the named engine, or with the best exact engine for the problem when {@code engine}
     * is null or blank: {@code exact-front} where it applies (at most one front metric, budgets only
     * on it or one budget; transition costs with a manageable tie structure), otherwise {@code ilp}.
     */
    public ParetoFront solve(SearchProblem problem, String engine, SolveOptions options) {
        ParetoFront front;
        if (engine == null || engine.isBlank()) {
            front = solveWithBest(problem, options);
        } else {
            SearchEngine chosen = byName(engine);
            String reason = chosen.unsupportedReason(problem);
            if (reason != null) {
                throw new InvalidProblemException("engine", reason);
            }
            front = chosen.solve(problem, options);
        }
        return verified(problem, front);
    }

    private ParetoFront solveWithBest(SearchProblem problem, SolveOptions options) {
        List<String> reasons = new ArrayList<>();
        for (SearchEngine engine : engines) {
            if (!engine.exact()) {
                continue;
            }
            String reason = engine.unsupportedReason(problem);
            if (reason != null) {
                reasons.add(reason);
                continue;
            }
            return engine.solve(problem, options);
        }
        throw new InvalidProblemException("engine", "No engine can solve this problem: " + String.join("; ", reasons));
    }

    public SearchEngine byName(String name) {
        return engines.stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new InvalidProblemException(
                        "engine", "Unknown engine '%s'; use one of %s.".formatted(name, engineNames())));
    }

    private static ParetoFront verified(SearchProblem problem, ParetoFront front) {
        FeasibilityChecker checker = FeasibilityChecker.of(problem);
        for (FrontPoint point : front.points()) {
            FeasibilityChecker.Check check = checker.check(point.choices());
            if (!check.feasible()) {
                throw new IllegalStateException("Engine %s returned an infeasible configuration: %s"
                        .formatted(front.stats().get("engine"), check.problems()));
            }
            double[] claimed = point.totals();
            double[] actual = check.totals();
            for (int m = 0; m < actual.length; m++) {
                if (Math.abs(claimed[m] - actual[m])
                        > FeasibilityChecker.RELATIVE_TOLERANCE * Math.max(Math.abs(claimed[m]), Math.abs(actual[m]))) {
                    throw new IllegalStateException("Engine %s reports %s = %s for a configuration whose total is %s"
                            .formatted(
                                    front.stats().get("engine"),
                                    problem.metrics().get(m),
                                    claimed[m],
                                    actual[m]));
                }
            }
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("checked_points", front.points().size());
        return front.withStats(stats);
    }
}
