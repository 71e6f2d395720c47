package dev.mpq.solver;

import dev.mpq.solver.bench.HawqProblems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** Named test fixtures for every package of the solver's tests. */
public final class TestProblems {

    private TestProblems() {}

    /** Seeded random instance, up to 8 layers x 3 options, with ties and pins. */
    public static SearchProblem random(long seed) {
        return RandomProblems.withTiesAndPins(seed);
    }

    /** {@link #random} with a transition cost on latency (and sometimes on penalty). */
    public static SearchProblem randomWithTransitions(long seed) {
        return RandomProblems.withTransitions(seed);
    }

    /** A budget between the smallest and largest reachable totals (sometimes just outside). */
    public static double budget(SearchProblem problem, String metric, Random random) {
        return RandomProblems.budget(problem, metric, random);
    }

    /** Every feasible configuration's non-dominated vector over (minimize, fronts...). */
    public static List<double[]> bruteForceNonDominated(SearchProblem problem, List<String> fronts) {
        return BruteForce.nonDominated(problem, fronts);
    }

    /** The repository's data directory (system property {@code mpq.data}, set by the build). */
    public static Path data() {
        String data = System.getProperty("mpq.data");
        if (data == null) {
            throw new IllegalStateException(
                    "System property mpq.data is not set; run the tests through Maven, which points it at data/.");
        }
        return Path.of(data);
    }

    /** HAWQ-V3 ResNet18 (19 layers x int4/int8, 3 ties), metrics penalty, bytes, bops, latency. */
    public static SearchProblem resnet18Hawq() {
        return hawq("resnet18");
    }

    /** HAWQ-V3 ResNet50 (52 layers x int4/int8). */
    public static SearchProblem resnet50Hawq() {
        return hawq("resnet50");
    }

    private static SearchProblem hawq(String model) {
        try {
            return HawqProblems.read(data().resolve("hawq").resolve(model + "_ilp_inputs.csv"), model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
