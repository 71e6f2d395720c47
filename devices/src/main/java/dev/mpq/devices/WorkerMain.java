package dev.mpq.devices;

import dev.mpq.core.worker.Measurement;
import dev.mpq.core.worker.ProfileItem;
import dev.mpq.devices.bench.KernelBench;
import dev.mpq.devices.kernels.KernelThreads;
import dev.mpq.devices.measure.Trials;
import dev.mpq.devices.probe.MachineInfo;
import dev.mpq.devices.probe.TriadBandwidth;
import dev.mpq.devices.profile.LayerTimer;
import dev.mpq.devices.worker.Backoff;
import dev.mpq.devices.worker.ItemMeasurer;
import dev.mpq.devices.worker.JavaValidator;
import dev.mpq.devices.worker.ModelCache;
import dev.mpq.devices.worker.NetworkOutputError;
import dev.mpq.devices.worker.StopSignal;
import dev.mpq.devices.worker.Worker;
import dev.mpq.devices.worker.WorkerClient;
import dev.mpq.devices.worker.WorkerLog;
import dev.mpq.devices.worker.WorkerOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The worker jar's entry point: {@code worker --server URL --token TOKEN ...} (the device worker),
 * {@code bench kernels [--json FILE] [--only REGEX] [--quick]}, {@code probe}. Exit codes: 0 success,
 * 2 invalid usage or a token the server refuses (message on stderr), 1 anything else.
 */
public final class WorkerMain {

    static final String USAGE = """
            usage: java --add-modules jdk.incubator.vector -jar mpq-worker.jar <command>

            commands:
            """ + WorkerOptions.USAGE + """
              bench kernels [--json FILE] [--only REGEX] [--quick] [--warmup S] [--trials N]
                            [--skip-bandwidth]
                  memory bandwidth and quantized kernel throughput (CONTRACTS.md section 6);
                  JSON on stdout (and in FILE), machine and progress on stderr.
                  --only REGEX  run the rows whose label matches, e.g. 'matvec int4-g128'
                  --quick       shorter warm-up and fewer trials (for a first look, not for the table)
                  --warmup S    warm-up seconds per row (default 0.5)
                  --trials N    timed trials per row (default 7)
                  --skip-bandwidth  no triad (bandwidth_gbs null): for profiling single rows
              probe
                  the machine: CPU, cores, SIMD features, caches, memory
            """;

    private WorkerMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            err.println("The kernels need the Vector API: run java --add-modules jdk.incubator.vector -jar ...");
            return 2;
        }
        try {
            return switch (args[0]) {
                case "bench" -> bench(args, out, err);
                case "worker" -> worker(args, out, err);
                case "probe" -> {
                    out.println(KernelBench.probe().summary());
                    yield 0;
                }
                default -> usage(err, "unknown command '" + args[0] + "'");
            };
        } catch (RuntimeException | IOException e) {
            err.println("error: " + e);
            return 1;
        }
    }

    private static int bench(String[] args, PrintStream out, PrintStream err) throws IOException {
        if (args.length < 2 || !args[1].equals("kernels")) {
            return usage(err, "bench needs 'kernels' (the other benchmarks run in the service jar)");
        }
        Path json = null;
        Predicate<String> filter = label -> true;
        Trials trials = KernelBench.defaultTrials();
        boolean measureBandwidth = true;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, "--json needs a file name");
                    }
                    json = Path.of(args[++i]);
                }
                case "--only" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, "--only needs a regular expression");
                    }
                    Pattern pattern = Pattern.compile(args[++i]);
                    filter = label -> pattern.matcher(label).find();
                }
                case "--quick" -> trials = new Trials(0.2, 3, 0.05);
                case "--skip-bandwidth" -> measureBandwidth = false;
                case "--warmup", "--trials" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, args[i] + " needs a number");
                    }
                    String option = args[i];
                    String value = args[++i];
                    try {
                        trials = option.equals("--warmup")
                                ? new Trials(Double.parseDouble(value), trials.trials(), trials.minTrialSeconds())
                                : new Trials(trials.warmupSeconds(), Integer.parseInt(value), trials.minTrialSeconds());
                    } catch (IllegalArgumentException e) {
                        return usage(err, option + " " + value + ": " + e.getMessage());
                    }
                }
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> {
                    return usage(err, "unknown option '" + args[i] + "'");
                }
            }
        }
        if (json != null && json.getParent() != null && !Files.isDirectory(json.getParent())) {
            return usage(err, "--json " + json + ": directory " + json.getParent() + " does not exist");
        }
        Map<String, Object> doc = new KernelBench(KernelBench.probe(), trials, filter, err, measureBandwidth).run();
        String text = KernelBench.toJson(doc);
        out.print(text);
        out.flush();
        if (json != null) {
            Files.writeString(json, text);
        }
        return 0;
    }

    /** Worker version sent with hello. */
    static final String VERSION = "mpq-worker 0.1 (java kernels)";

    private static int worker(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        WorkerOptions options;
        try {
            options = WorkerOptions.parse(rest, System.getenv());
        } catch (IllegalArgumentException e) {
            return usage(err, "worker: " + e.getMessage());
        }
        WorkerLog log = new WorkerLog(err);
        StopSignal stop = new StopSignal();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    log.info("stop requested (SIGTERM): finishing the current item, then exiting");
                    stop.request();
                    try {
                        finished.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "mpq-worker-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (KernelThreads threads = new KernelThreads(options.threads());
                NetworkOutputError errors = new NetworkOutputError(options.threads())) {
            MachineInfo machine = KernelBench.probe();
            log.info("%s", machine.summary());
            double bandwidth = 0;
            if (options.measureBandwidth()) {
                TriadBandwidth.Result triad =
                        TriadBandwidth.measure(threads, machine.sizingCacheBytes(), new Trials(0.2, 3, 0.05));
                bandwidth = triad.triadGbs();
                log.info(
                        "memory bandwidth (quick triad, 3 x %d MiB, %d threads): %.2f GB/s",
                        triad.arrayBytes() >> 20, threads.threads(), bandwidth);
            }
            Trials trials = options.trials();
            String environment =
                    "%s, %s, vectors %s, %d threads, %s; warm-up >= %s s, %d trials of >= %s s, median and half-IQR"
                            .formatted(
                                    machine.jvm(),
                                    String.join(" ", machine.jvmFlags()),
                                    machine.vectorShape(),
                                    threads.threads(),
                                    machine.cpuModel(),
                                    trials.warmupSeconds(),
                                    trials.trials(),
                                    trials.minTrialSeconds());
            LayerTimer timer = new LayerTimer(threads, trials, machine.sizingCacheBytes());
            ItemMeasurer measurer = new ItemMeasurer() {
                @Override
                public boolean supports(ProfileItem item) {
                    return LayerTimer.supports(item.precision());
                }

                @Override
                public Measurement measure(ProfileItem item) {
                    return timer.measure(item);
                }

                @Override
                public void warmUp(List<ProfileItem> items) {
                    timer.warmUp(items);
                }
            };
            WorkerClient client = new WorkerClient(options.server(), options.token(), Backoff.PROTOCOL, log);
            JavaValidator validator = new JavaValidator(
                    timer, trials, errors, environment, Runtime.getRuntime().maxMemory() / 2);
            try (ModelCache models = new ModelCache(client, log)) {
                Worker worker = new Worker(
                        client,
                        measurer,
                        validator,
                        models,
                        stop,
                        stop,
                        log,
                        new Worker.Settings(options.poll(), options.reportEvery(), VERSION, environment));
                int code = worker.run(machine.toProbe(bandwidth));
                if (code == 2) {
                    err.println("error: the server refused the worker token; add a worker to the device for a new one");
                }
                return code;
            }
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down (SIGTERM): the hook is running
            }
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("error: " + problem);
        err.print(USAGE);
        return 2;
    }
}
