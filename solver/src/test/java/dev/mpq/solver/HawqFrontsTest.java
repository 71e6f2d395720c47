package dev.mpq.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The HAWQ-V3 data (data/hawq, built as ../shared/tools/hawq_problem.py builds it): penalty =
 * trace x delta_w_sq, bytes = params x bits / 8, bops = macs x bits^2, latency = measured latency,
 * ties from tie_group.
 */
class HawqFrontsTest {

    private final Solver solver = new Solver();
    private final SolveOptions options = SolveOptions.defaults();

    /** Every tie-respecting assignment (one candidate per tie block), totals from the checker. */
    private static List<double[]> everyAssignment(SearchProblem problem) {
        TieBlocks blocks = TieBlocks.of(problem);
        FeasibilityChecker checker = FeasibilityChecker.of(problem);
        int n = blocks.blockCount();
        int[] candidates = new int[n];
        List<double[]> totals = new ArrayList<>();
        while (true) {
            totals.add(checker.totals(blocks.toChoices(candidates)));
            int b = 0;
            while (b < n && ++candidates[b] == blocks.candidateCount(b)) {
                candidates[b] = 0;
                b++;
            }
            if (b == n) {
                return totals;
            }
        }
    }

    /** The contract's front rule over a list of totals: [resource, objective] pairs. */
    private static List<double[]> front(List<double[]> totals, int objective, int resource) {
        List<double[]> sorted = new ArrayList<>(totals);
        sorted.sort(Comparator.<double[]>comparingDouble(t -> t[resource]).thenComparingDouble(t -> t[objective]));
        List<double[]> front = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (double[] t : sorted) {
            if (t[objective] < best - 1e-12 * Math.abs(best) || best == Double.POSITIVE_INFINITY) {
                front.add(new double[] {t[resource], t[objective]});
                best = t[objective];
            }
        }
        return front;
    }

    /**
     * An independent reference for larger instances (the oracle's method): merge the blocks one by
     * one, each time sorting every combination of the kept points with the block's candidates and
     * keeping the strict front.
     */
    private static List<double[]> referenceMerge(SearchProblem problem, int objective, int resource) {
        TieBlocks blocks = TieBlocks.of(problem);
        List<double[]> points = List.of(new double[] {0, 0});
        for (int b = 0; b < blocks.blockCount(); b++) {
            List<double[]> combined = new ArrayList<>();
            for (double[] p : points) {
                for (int c = 0; c < blocks.candidateCount(b); c++) {
                    combined.add(
                            new double[] {p[0] + blocks.value(b, c, resource), p[1] + blocks.value(b, c, objective)});
                }
            }
            combined.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
            List<double[]> kept = new ArrayList<>();
            double best = Double.POSITIVE_INFINITY;
            for (double[] p : combined) {
                if (kept.isEmpty() || p[1] < best - 1e-12 * Math.abs(best)) {
                    kept.add(p);
                    best = p[1];
                }
            }
            points = kept;
        }
        return points;
    }

    private void assertFront(SearchProblem problem, String metric, List<double[]> expected) {
        ParetoFront front = solver.solve(problem.withFront(List.of(metric), 10_000), null, options);
        assertThat(front.status()).isEqualTo(SolveStatus.OPTIMAL);
        assertThat(front.stats().get("engine")).isEqualTo("exact-front");
        int r = problem.metricIndex(metric);
        assertThat(front.points()).as("%s %s", problem.name(), metric).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            FrontPoint point = front.points().get(i);
            assertThat(point.total(r))
                    .as("%s %s point %d", problem.name(), metric, i)
                    .isCloseTo(expected.get(i)[0], within(1e-9 * expected.get(i)[0]));
            assertThat(point.total(0))
                    .as("%s %s point %d", problem.name(), metric, i)
                    .isCloseTo(expected.get(i)[1], within(1e-9 * expected.get(i)[1]));
            assertThat(point.gap()).isZero();
        }
    }

    @Test
    void resnet18FrontsEqualBruteForceOverEveryTieRespectingAssignment() {
        SearchProblem problem = TestProblems.resnet18Hawq();
        assertThat(TieBlocks.of(problem).blockCount()).isEqualTo(16); // 19 layers, 3 tie pairs
        List<double[]> all = everyAssignment(problem);
        assertThat(all).hasSize(1 << 16);
        for (String metric : List.of("bytes", "bops", "latency")) {
            assertFront(problem, metric, front(all, 0, problem.metricIndex(metric)));
        }
    }

    @Test
    void resnet50FrontsEqualTheReferenceMerge() {
        SearchProblem problem = TestProblems.resnet50Hawq();
        for (String metric : List.of("bytes", "bops", "latency")) {
            assertFront(problem, metric, referenceMerge(problem, 0, problem.metricIndex(metric)));
        }
    }

    /** Bits per ILP layer of a published configuration, or null where a layer is not in the ILP. */
    private static Map<Integer, Integer> published(String model, String column) throws IOException {
        List<String> lines =
                Files.readAllLines(TestProblems.data().resolve("hawq").resolve(model + "_published_bit_configs.csv"));
        List<String> header = Arrays.asList(lines.get(0).strip().split(","));
        Map<Integer, Integer> bits = new java.util.HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.strip().split(",", -1);
            if (!cells[1].isEmpty()) {
                bits.put(Integer.parseInt(cells[1]), Integer.parseInt(cells[header.indexOf(column)]));
            }
        }
        return bits;
    }

    @Test
    void publishedConfigurationsAreOptimalExceptResnet50ModelSizeQuarter() throws IOException {
        Map<String, String> metrics = Map.of("modelsize", "bytes", "bops", "bops", "latency", "latency");
        int beaten = 0;
        for (String model : List.of("resnet18", "resnet50")) {
            SearchProblem base = model.equals("resnet18") ? TestProblems.resnet18Hawq() : TestProblems.resnet50Hawq();
            for (String constraint : List.of("modelsize", "bops", "latency")) {
                int m = base.metricIndex(metrics.get(constraint));
                for (double ratio : new double[] {0.25, 0.5, 0.75}) {
                    double low = 0;
                    double high = 0;
                    for (Group group : base.groups()) {
                        low += group.options().get(group.indexOf("int4")).value(m);
                        high += group.options().get(group.indexOf("int8")).value(m);
                    }
                    double budget = low + ratio * (high - low);
                    SearchProblem problem = base.withBudgets(Map.of(metrics.get(constraint), budget));
                    Map<Integer, Integer> bits = published(model, constraint + "_" + ratio);
                    int[] choices = new int[base.groups().size()];
                    for (int g = 0; g < choices.length; g++) {
                        choices[g] = base.groups().get(g).indexOf("int" + bits.get(g));
                    }
                    FeasibilityChecker.Check check = FeasibilityChecker.check(problem, choices);
                    String name = "%s %s %s".formatted(model, constraint, ratio);
                    assertThat(check.feasible())
                            .as("published %s is feasible", name)
                            .isTrue();
                    ParetoFront ours = solver.solve(problem, null, options);
                    double optimum = ours.points().get(0).total(0);
                    double theirs = check.totals()[0];
                    assertThat(ours.status()).isEqualTo(SolveStatus.OPTIMAL);
                    if (model.equals("resnet50") && constraint.equals("modelsize") && ratio == 0.25) {
                        assertThat(optimum).as(name).isLessThan(theirs * (1 - 1e-9));
                        beaten++;
                    } else {
                        assertThat(optimum).as(name).isCloseTo(theirs, within(1e-9 * theirs));
                    }
                    // the ilp engine agrees
                    ParetoFront ilp =
                            solver.solve(problem, "ilp", new SolveOptions(0, java.time.Duration.ofSeconds(60), 2));
                    assertThat(ilp.points().get(0).total(0))
                            .as("ilp " + name)
                            .isCloseTo(optimum, within(1e-12 * optimum));
                }
            }
        }
        assertThat(beaten).isEqualTo(1);
    }
}
