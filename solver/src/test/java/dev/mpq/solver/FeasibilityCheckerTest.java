package dev.mpq.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeasibilityCheckerTest {

    private static final List<String> METRICS = List.of("penalty", "bytes");

    private static Group layer(String name) {
        return new Group(name, List.of(new Option("int4", new double[] {2, 4}), new Option("int8", new double[] {1, 8
        })));
    }

    @Test
    void reportsBrokenTiePinAndBudget() {
        SearchProblem problem = new SearchProblem(
                "t",
                METRICS,
                List.of(layer("a"), layer("b"), layer("c")),
                "penalty",
                Map.of("bytes", 15.0),
                List.of(List.of("a", "b")),
                Map.of("c", "int4"),
                Map.of(),
                List.of(),
                10);
        FeasibilityChecker.Check check = FeasibilityChecker.check(problem, new int[] {0, 1, 1});
        assertThat(check.feasible()).isFalse();
        assertThat(check.problems()).hasSize(3);
        assertThat(check.totals()).containsExactly(4, 20);
        assertThat(FeasibilityChecker.check(problem, new int[] {0, 0, 0}).feasible())
                .isTrue();
    }

    @Test
    void addsTransitionCostPerSwitchBetweenConsecutiveLayers() {
        SearchProblem problem = new SearchProblem(
                "t",
                METRICS,
                List.of(layer("a"), layer("b"), layer("c")),
                "penalty",
                Map.of(),
                List.of(),
                Map.of(),
                Map.of("bytes", 0.5),
                List.of(),
                10);
        assertThat(FeasibilityChecker.totals(problem, new int[] {0, 1, 0})).containsExactly(5, 17);
        assertThat(FeasibilityChecker.totals(problem, new int[] {1, 1, 1})).containsExactly(3, 24);
    }
}
