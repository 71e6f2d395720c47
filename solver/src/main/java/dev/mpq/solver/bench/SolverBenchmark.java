package dev.mpq.solver.bench;

import dev.mpq.solver.FrontPoint;
import dev.mpq.solver.ParetoFront;
import dev.mpq.solver.SearchProblem;
import dev.mpq.solver.SolveOptions;
import dev.mpq.solver.Solver;
import dev.mpq.solver.TieBlocks;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench solver} (CONTRACTS.md section 6): the exact-front engine on four instances against
 * the CBC baseline. Not a test: it measures and prints, it asserts nothing.
 *
 * <p>Per instance: warm-up runs, then timed runs of the whole front through {@link Solver} (engine
 * {@code exact-front}, feasibility check included); the median is reported, min and max go to the
 * log. The baseline ({@link CbcBaseline}) solves a sample of the returned points at their own
 * resource as the budget (20 spread evenly, as many as fit in {@link Settings#baselineSeconds()});
 * CBC's optimum must equal the point's objective (relative 1e-9) for {@code baseline_agrees}.
 *
 * <p>The JSON array goes to standard output (and to the file given), the machine line, progress and
 * a table with the spread to standard error. Runs standalone: {@code java -Xmx2g -cp ...
 * dev.mpq.solver.bench.SolverBenchmark [--data DIR] [--json FILE]}.
 */
public final class SolverBenchmark {

    /** Relative agreement required between CBC and us. */
    static final double AGREEMENT = 1e-9;

    /** A point counts as proven with a gap below this (the proof rule). */
    static final double PROVEN_GAP = 1e-6;

    private SolverBenchmark() {}

    /**
     * One row of the JSON array, keys as CONTRACTS.md section 6 names them.
     *
     * @param options options per layer
     * @param seconds the whole front, warm median
     * @param baselineSecondsPerPoint CBC's mean per sampled point, null when none finished
     * @param baselineAgrees CBC's optimum equals ours on every sampled point (null: none finished)
     * @param allProven every point has a proven gap below 1e-6
     * @param maxGap the largest proven relative gap (null when a point has no proof)
     */
    public record Result(
            String instance,
            int layers,
            int options,
            int points,
            double seconds,
            double secondsPerPoint,
            Double baselineSecondsPerPoint,
            Boolean baselineAgrees,
            Double speedupPerPoint,
            boolean allProven,
            Double maxGap) {

        public String toJson() {
            return "{\"instance\": %s, \"layers\": %d, \"options\": %d, \"points\": %d, \"seconds\": %s, \"seconds_per_point\": %s, \"baseline_seconds_per_point\": %s, \"baseline_agrees\": %s, \"speedup_per_point\": %s, \"all_proven\": %s, \"max_gap\": %s}"
                    .formatted(
                            quote(instance),
                            layers,
                            options,
                            points,
                            number(seconds),
                            number(secondsPerPoint),
                            number(baselineSecondsPerPoint),
                            baselineAgrees,
                            number(speedupPerPoint),
                            allProven,
                            number(maxGap));
        }
    }

    /**
     * @param dataDirectory the repository's {@code data} directory (HAWQ inputs)
     * @param threads threads of our engine
     * @param baselineSamples budget points CBC solves per instance (at most)
     * @param baselineSeconds CBC's time per instance
     * @param frontPoints budget points of the large instances
     */
    public record Settings(
            Path dataDirectory, int threads, int baselineSamples, double baselineSeconds, int frontPoints) {

        public static Settings defaults(Path dataDirectory) {
            return new Settings(dataDirectory, Runtime.getRuntime().availableProcessors(), 20, 120, 1000);
        }
    }

    /** An instance: one or more front problems solved and timed together. */
    private record Instance(String name, List<SearchProblem> fronts, int warmups, int runs) {}

    private static List<Instance> instances(Settings settings) throws IOException {
        SearchProblem hawq = BenchInstances.hawq(settings.dataDirectory(), "resnet50");
        List<SearchProblem> hawqFronts = new ArrayList<>();
        for (String metric : List.of("bytes", "bops", "latency")) {
            hawqFronts.add(hawq.withFront(List.of(metric), SearchProblem.DEFAULT_FRONT_POINTS));
        }
        int points = settings.frontPoints();
        return List.of(
                new Instance("hawq-resnet50-52x2", hawqFronts, 20, 21),
                new Instance("diffusion-800x3", List.of(BenchInstances.diffusion800x3(points)), 1, 3),
                new Instance("llm-560x10", List.of(BenchInstances.llm560x10(points)), 3, 5),
                new Instance("moe-46000x6", List.of(BenchInstances.moe46000x6(points)), 1, 3));
    }

    /** Runs every instance; progress goes to {@code log}. */
    public static List<Result> run(Settings settings, PrintStream log) throws IOException {
        log.println(machine());
        List<Result> results = new ArrayList<>();
        for (Instance instance : instances(settings)) {
            results.add(run(instance, settings, log));
        }
        log.println();
        log.printf(
                Locale.ROOT,
                "%-20s %7s %5s %7s %10s %12s %12s %9s %7s%n",
                "instance",
                "layers",
                "opts",
                "points",
                "seconds",
                "s/point",
                "cbc s/point",
                "speedup",
                "agrees");
        for (Result r : results) {
            log.printf(
                    Locale.ROOT,
                    "%-20s %7d %5d %7d %10.4f %12.3e %12s %9s %7s%n",
                    r.instance(),
                    r.layers(),
                    r.options(),
                    r.points(),
                    r.seconds(),
                    r.secondsPerPoint(),
                    r.baselineSecondsPerPoint() == null ? "-" : "%.3e".formatted(r.baselineSecondsPerPoint()),
                    r.speedupPerPoint() == null ? "-" : "%.0f".formatted(r.speedupPerPoint()),
                    r.baselineAgrees());
        }
        return results;
    }

    private static Result run(Instance instance, Settings settings, PrintStream log) {
        Solver solver = new Solver();
        SolveOptions options = new SolveOptions(0, Duration.ofMinutes(10), settings.threads());
        List<ParetoFront> fronts = new ArrayList<>();
        double[] times = new double[instance.runs()];
        for (int run = -instance.warmups(); run < instance.runs(); run++) {
            fronts.clear();
            long start = System.nanoTime();
            for (SearchProblem problem : instance.fronts()) {
                fronts.add(solver.solve(problem, "exact-front", options));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (run >= 0) {
                times[run] = seconds;
            }
        }
        Arrays.sort(times);
        double median = times.length % 2 == 1
                ? times[times.length / 2]
                : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
        int points = 0;
        boolean proven = true;
        Double maxGap = 0.0;
        for (ParetoFront front : fronts) {
            points += front.points().size();
            for (FrontPoint point : front.points()) {
                if (point.gap() == null) {
                    proven = false;
                    maxGap = null;
                } else {
                    proven &= point.gap() < PROVEN_GAP;
                    if (maxGap != null) {
                        maxGap = Math.max(maxGap, point.gap());
                    }
                }
            }
        }
        log.printf(
                Locale.ROOT,
                "%s: %d points, warm median %.4f s (min %.4f, max %.4f over %d runs after %d warm-up)%n",
                instance.name(),
                points,
                median,
                times[0],
                times[times.length - 1],
                times.length,
                instance.warmups());
        Baseline baseline = baseline(instance, fronts, settings, log);
        SearchProblem first = instance.fronts().get(0);
        double perPoint = median / Math.max(1, points);
        Double baselinePerPoint = baseline.finished == 0 ? null : baseline.seconds / baseline.finished;
        return new Result(
                instance.name(),
                first.groups().size(),
                first.groups().get(0).options().size(),
                points,
                median,
                perPoint,
                baselinePerPoint,
                baseline.finished == 0 ? null : baseline.agrees,
                baselinePerPoint == null ? null : baselinePerPoint / perPoint,
                proven,
                maxGap);
    }

    private record Baseline(int finished, double seconds, boolean agrees) {}

    /** CBC on up to {@code baselineSamples} points spread evenly over the fronts. */
    private static Baseline baseline(Instance instance, List<ParetoFront> fronts, Settings settings, PrintStream log) {
        int total = fronts.stream().mapToInt(f -> f.points().size()).sum();
        int samples = Math.min(settings.baselineSamples(), total);
        long deadline = System.nanoTime() + (long) (settings.baselineSeconds() * 1e9);
        int finished = 0;
        double seconds = 0;
        boolean agrees = true;
        List<TieBlocks> blocks = new ArrayList<>();
        for (SearchProblem problem : instance.fronts()) {
            blocks.add(TieBlocks.of(problem));
        }
        for (int s = 0; s < samples; s++) {
            int index = samples == 1 ? 0 : (int) Math.round((double) s * (total - 1) / (samples - 1));
            int f = 0;
            while (index >= fronts.get(f).points().size()) {
                index -= fronts.get(f).points().size();
                f++;
            }
            SearchProblem problem = instance.fronts().get(f);
            FrontPoint point = fronts.get(f).points().get(index);
            int objective = problem.minimizeIndex();
            int resource = problem.metricIndex(problem.front().get(0));
            double remaining = (deadline - System.nanoTime()) / 1e9;
            if (remaining < 0.5) {
                break;
            }
            CbcBaseline.Answer answer =
                    CbcBaseline.solve(blocks.get(f), objective, resource, point.total(resource), remaining);
            if (!answer.optimal()) {
                log.printf(
                        Locale.ROOT,
                        "  cbc: budget %d not solved within the remaining %.1f s; stopping the sample%n",
                        s,
                        remaining);
                break;
            }
            finished++;
            seconds += answer.seconds();
            double ours = point.total(objective);
            boolean same = Math.abs(answer.objective() - ours)
                            <= AGREEMENT * Math.max(Math.abs(ours), Math.abs(answer.objective()))
                    && answer.resource() <= point.total(resource) * (1 + AGREEMENT);
            if (!same) {
                log.printf(
                        Locale.ROOT,
                        "  cbc disagrees at %s <= %.17g: cbc %.17g (resource %.17g), ours %.17g%n",
                        problem.front().get(0),
                        point.total(resource),
                        answer.objective(),
                        answer.resource(),
                        ours);
            }
            agrees &= same;
        }
        log.printf(
                Locale.ROOT,
                "  cbc: %d of %d sampled points in %.2f s (%s)%n",
                finished,
                samples,
                seconds,
                agrees ? "all agree" : "DISAGREEMENT");
        return new Baseline(finished, seconds, agrees);
    }

    /** The machine line every benchmark prints first. */
    public static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: keep the placeholder
        }
        return "machine: %s, %d cores, %s %s, flags %s"
                .formatted(
                        cpu,
                        Runtime.getRuntime().availableProcessors(),
                        System.getProperty("java.vm.name"),
                        System.getProperty("java.version"),
                        ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** The JSON array of CONTRACTS.md section 6. */
    public static String toJson(List<Result> results) {
        StringBuilder json = new StringBuilder("[\n");
        for (int i = 0; i < results.size(); i++) {
            json.append("  ").append(results.get(i).toJson()).append(i + 1 < results.size() ? ",\n" : "\n");
        }
        return json.append("]").toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u%04x".formatted((int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String number(Double value) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return "null";
        }
        return Double.toString(value);
    }

    /**
     * Runs the benchmark and prints the JSON array on standard output (and into {@code json} when
     * given); machine, progress and table go to standard error.
     */
    public static void runAndPrint(Path data, Path json, int threads) throws IOException {
        Settings defaults = Settings.defaults(data);
        Settings settings = new Settings(
                defaults.dataDirectory(),
                threads,
                defaults.baselineSamples(),
                defaults.baselineSeconds(),
                defaults.frontPoints());
        String out = toJson(run(settings, System.err));
        System.out.println(out);
        if (json != null) {
            Files.writeString(json, out + "\n");
        }
    }
}
