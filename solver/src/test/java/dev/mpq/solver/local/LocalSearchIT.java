package dev.mpq.solver.local;

import static org.assertj.core.api.Assertions.assertThat;

import ai.timefold.solver.core.config.solver.EnvironmentMode;
import dev.mpq.solver.ParetoFront;
import dev.mpq.solver.SearchProblem;
import dev.mpq.solver.SolveOptions;
import dev.mpq.solver.SolveStatus;
import dev.mpq.solver.Solver;
import dev.mpq.solver.bench.BenchInstances;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The local-search target on the 800 x 3 instance with format-switch costs: the exact
 * dynamic program proves the optimum, local search started from the additive optimum must end within
 * 0.5 % of it. A move count (not a time limit) bounds the search, so the run is reproducible; 10
 * million moves take about 25 s on the 2-core machine.
 */
class LocalSearchIT {

    @Test
    void endsWithinHalfAPercentOfTheProvenOptimumOfThe800x3SwitchProblem() {
        SearchProblem base = BenchInstances.diffusion800x3(1);
        SearchProblem problem = BenchInstances.diffusion800x3WithTransitions(5.5, 4 * BenchInstances.medianStep(base));
        SolveOptions options = new SolveOptions(1, Duration.ofMinutes(5), 2);
        ParetoFront exact = new Solver().solve(problem, "exact-front", options);
        assertThat(exact.status()).isEqualTo(SolveStatus.OPTIMAL);
        double optimum = exact.points().get(0).total(0);

        Solver local = new Solver(List.of(new LocalSearchEngine(10_000_000, EnvironmentMode.NO_ASSERT)));
        ParetoFront found = local.solve(problem, "local-search", new SolveOptions(1, Duration.ofMinutes(5), 1));
        double value = found.points().get(0).total(0);
        assertThat(value / optimum - 1)
                .as("local search %s against the proven optimum %s (seed 1)", value, optimum)
                .isBetween(-1e-12, 0.005);
    }
}
