package dev.mpq.sensitivity.bench;

import dev.mpq.core.FormatCatalog;
import dev.mpq.core.NumericFormat;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import dev.mpq.sensitivity.profile.JsonText;
import dev.mpq.sensitivity.profile.ProgressListener;
import dev.mpq.sensitivity.profile.SensitivityProfile;
import dev.mpq.sensitivity.profile.WeightErrorEstimator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code bench profile}: the weight-error profile of a model (default all-MiniLM-L6-v2) over every
 * catalogue format. One warm-up run, then {@code runs} timed runs (parse + read + quantize + sum,
 * everything a profile job does); the figure is the median, the spread is printed. Peak memory is
 * the process's VmHWM after the runs.
 */
public final class ProfileBenchmark {

    /**
     * The result (CONTRACTS.md section 6): {@code model}, {@code formats} (count), {@code seconds}
     * (warm median), {@code peak_rss_bytes}, {@code model_bytes}; plus the run times, layer count
     * and format ids.
     */
    public record Result(
            String model,
            int formats,
            double seconds,
            long peakRssBytes,
            long modelBytes,
            List<Double> runSeconds,
            int layers,
            List<String> formatIds,
            int threads) {

        public String toJson() {
            return "{\"model\":%s,\"formats\":%d,\"seconds\":%s,\"peak_rss_bytes\":%d,\"model_bytes\":%d,\"run_seconds\":%s,\"layers\":%d,\"threads\":%d,\"format_ids\":[%s]}"
                    .formatted(
                            JsonText.quote(model),
                            formats,
                            JsonText.number(seconds),
                            peakRssBytes,
                            modelBytes,
                            runSeconds.toString().replace(" ", ""),
                            layers,
                            threads,
                            String.join(
                                    ",", formatIds.stream().map(JsonText::quote).toList()));
        }
    }

    private ProfileBenchmark() {}

    /** Machine line printed before the figures. */
    public static String machine() {
        return "machine: %s, %d cores, JVM %s %s, flags %s"
                .formatted(
                        cpuName(),
                        Runtime.getRuntime().availableProcessors(),
                        System.getProperty("java.vm.name"),
                        System.getProperty("java.version"),
                        java.lang.management.ManagementFactory.getRuntimeMXBean()
                                .getInputArguments());
    }

    private static String cpuName() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /** Runs the benchmark; {@code log} gets the machine line and per-run figures. */
    public static Result run(Path model, String modelLabel, int runs, int threads, PrintStream log) throws Exception {
        List<NumericFormat> formats = FormatCatalog.all();
        log.println(machine());
        log.printf(
                "bench profile: %s (%d bytes), weight-error over %d formats, %d thread(s)%n",
                modelLabel, Files.size(model), formats.size(), threads);
        int layers = once(model, formats, threads);
        log.printf("warm-up done (%d layers)%n", layers);
        List<Double> times = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            once(model, formats, threads);
            double s = (System.nanoTime() - start) / 1e9;
            times.add(s);
            log.printf("run %d: %.3f s%n", r + 1, s);
        }
        double[] sorted =
                times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted.length % 2 == 1
                ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        log.printf("median %.3f s, min %.3f s, max %.3f s%n", median, sorted[0], sorted[sorted.length - 1]);
        return new Result(
                modelLabel,
                formats.size(),
                median,
                PeakMemory.peakRssBytes(),
                Files.size(model),
                times,
                layers,
                formats.stream().map(NumericFormat::id).toList(),
                threads);
    }

    private static int once(Path model, List<NumericFormat> formats, int threads) {
        OnnxNetwork network = OnnxNetwork.read(model);
        SensitivityProfile profile = WeightErrorEstimator.estimate(network, formats, threads, ProgressListener.NONE);
        return profile.layers().size();
    }

    /** Plain-Java entry: {@code ProfileBenchmark [model.onnx] [runs]}; prints the result JSON on stdout. */
    public static void main(String[] args) throws Exception {
        Path model;
        String label;
        if (args.length > 0 && !args[0].isBlank()) {
            model = Path.of(args[0]);
            label = model.getFileName().toString();
        } else {
            model = DefaultModel.extract();
            label = DefaultModel.ENTRY;
        }
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Result r = run(model, label, runs, Runtime.getRuntime().availableProcessors(), System.err);
        System.out.println(r.toJson());
        System.err.println("run_seconds " + Arrays.toString(r.runSeconds().toArray()));
    }
}
