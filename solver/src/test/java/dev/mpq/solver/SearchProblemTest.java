package dev.mpq.solver;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchProblemTest {

    private static Group layer(String name, String... ids) {
        return new Group(
                name,
                java.util.Arrays.stream(ids)
                        .map(id -> new Option(id, new double[] {1, 1}))
                        .toList());
    }

    private static SearchProblem problem(List<Group> groups, List<List<String>> ties, Map<String, String> pins) {
        return new SearchProblem(
                "t", List.of("penalty", "bytes"), groups, "penalty", Map.of(), ties, pins, Map.of(), List.of(), 10);
    }

    @Test
    void rejectsLayerWithoutOptions() {
        assertThatThrownBy(() -> problem(List.of(new Group("a", List.of())), List.of(), Map.of()))
                .isInstanceOf(InvalidProblemException.class)
                .hasMessageContaining("a")
                .hasMessageContaining("0 options")
                .extracting(e -> ((InvalidProblemException) e).field())
                .isEqualTo("layers[0].options");
    }

    @Test
    void rejectsNegativeAndNonFiniteMetrics() {
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            Group group = new Group("a", List.of(new Option("int4", new double[] {1, bad})));
            assertThatThrownBy(() -> problem(List.of(group), List.of(), Map.of()))
                    .isInstanceOf(InvalidProblemException.class)
                    .hasMessageContaining("finite and >= 0")
                    .extracting(e -> ((InvalidProblemException) e).field())
                    .isEqualTo("layers[0].options[0].bytes");
        }
    }

    @Test
    void rejectsDuplicateLayerNames() {
        assertThatThrownBy(() -> problem(List.of(layer("a", "int4"), layer("a", "int8")), List.of(), Map.of()))
                .hasMessageContaining("unique");
    }

    @Test
    void rejectsTieWithoutCommonOption() {
        assertThatThrownBy(() ->
                        problem(List.of(layer("a", "int4"), layer("b", "int8")), List.of(List.of("a", "b")), Map.of()))
                .isInstanceOf(InvalidProblemException.class)
                .hasMessageContaining("no option id common")
                .extracting(e -> ((InvalidProblemException) e).field())
                .isEqualTo("ties[0]");
    }

    @Test
    void rejectsPinToUnknownOption() {
        assertThatThrownBy(() -> problem(List.of(layer("a", "int4")), List.of(), Map.of("a", "int8")))
                .hasMessageContaining("not one of its options");
    }

    @Test
    void rejectsPinsThatContradictATie() {
        assertThatThrownBy(() -> problem(
                        List.of(layer("a", "int4", "int8"), layer("b", "int4", "int8")),
                        List.of(List.of("a", "b")),
                        Map.of("a", "int4", "b", "int8")))
                .isInstanceOf(InvalidProblemException.class)
                .hasMessageContaining("no common option");
    }

    @Test
    void rejectsChainedTiesWithoutCommonOption() {
        assertThatThrownBy(() -> problem(
                        List.of(layer("a", "int4", "int8"), layer("b", "int4", "int8", "fp8"), layer("c", "fp8")),
                        List.of(List.of("a", "b"), List.of("b", "c")),
                        Map.of()))
                .isInstanceOf(InvalidProblemException.class)
                .hasMessageContaining("share no option");
    }

    @Test
    void rejectsUnknownMinimizeMetric() {
        assertThatThrownBy(() -> new SearchProblem(
                        "t",
                        List.of("penalty"),
                        List.of(new Group("a", List.of(new Option("x", new double[] {1})))),
                        "loss",
                        Map.of(),
                        List.of(),
                        Map.of(),
                        Map.of(),
                        List.of(),
                        10))
                .hasMessageContaining("minimize");
    }
}
