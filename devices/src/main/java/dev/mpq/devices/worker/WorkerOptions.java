package dev.mpq.devices.worker;

import dev.mpq.devices.measure.Trials;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The options of {@code worker}: {@code --server URL --token TOKEN [--threads N] [--poll-seconds S]
 * [--report-every N] [--trials N] [--warmup-seconds S] [--skip-bandwidth]}. The token may come from
 * the environment variable {@code MPQ_WORKER_TOKEN} instead (kept out of the process list).
 */
public record WorkerOptions(
        URI server,
        String token,
        int threads,
        Duration poll,
        int reportEvery,
        Trials trials,
        boolean measureBandwidth) {

    public static final String USAGE = """
              worker --server URL --token TOKEN [--threads N] [--poll-seconds S] [--report-every N]
                     [--trials N] [--warmup-seconds S] [--min-trial-seconds S] [--skip-bandwidth]
                  the device worker (devices/PROTOCOL.md): probes the machine, leases the device's
                  profile and validation tasks, measures them with the Java kernels and reports back;
                  retries with backoff while the server is down; SIGTERM stops it cleanly.
                  --token TOKEN        the token of POST /api/devices/{id}/workers (or $MPQ_WORKER_TOKEN)
                  --threads N          kernel and ONNX Runtime threads (default: all cores)
                  --poll-seconds S     wait after an empty lease (default 5)
                  --report-every N     measurements per report (default 4)
                  --trials N           timed trials per item (default 7)
                  --warmup-seconds S   minimum warm-up per item (default 0.5)
                  --min-trial-seconds S  each trial repeats the kernel for at least S (default 0.1)
                  --skip-bandwidth     do not measure memory bandwidth at start (probe reports 0)
            """;

    public WorkerOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads %d: use 1 or more.".formatted(threads));
        }
        if (reportEvery < 1) {
            throw new IllegalArgumentException("--report-every %d: use 1 or more.".formatted(reportEvery));
        }
    }

    /** Parses the arguments after {@code worker}; a problem is an {@link IllegalArgumentException} naming the option. */
    public static WorkerOptions parse(List<String> args, Map<String, String> environment) {
        String server = null;
        String token = environment.get("MPQ_WORKER_TOKEN");
        int threads = Runtime.getRuntime().availableProcessors();
        double poll = 5;
        int reportEvery = 4;
        int trials = 7;
        double warmup = 0.5;
        double minTrial = 0.1;
        boolean bandwidth = true;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (option.equals("--skip-bandwidth")) {
                bandwidth = false;
                continue;
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(
                        option.startsWith("--") ? option + " needs a value" : "unexpected argument '" + option + "'");
            }
            String value = args.get(++i);
            switch (option) {
                case "--server" -> server = value;
                case "--token" -> token = value;
                case "--threads" -> threads = integer(option, value);
                case "--poll-seconds" -> poll = number(option, value);
                case "--report-every" -> reportEvery = integer(option, value);
                case "--trials" -> trials = integer(option, value);
                case "--warmup-seconds" -> warmup = number(option, value);
                case "--min-trial-seconds" -> minTrial = number(option, value);
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        if (server == null) {
            throw new IllegalArgumentException("--server URL is required, e.g. --server http://127.0.0.1:8080");
        }
        URI uri;
        try {
            uri = URI.create(server);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server " + server + ": not a URL (" + e.getMessage() + ")");
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "--server " + server + ": give an http(s) URL with a host, e.g. http://127.0.0.1:8080");
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(
                    "--token TOKEN is required (or MPQ_WORKER_TOKEN): the token shown once by POST /api/devices/{id}/workers");
        }
        if (!(poll > 0)) {
            throw new IllegalArgumentException("--poll-seconds " + poll + ": use a positive number of seconds");
        }
        Trials t;
        try {
            t = new Trials(warmup, trials, minTrial);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--trials/--warmup-seconds/--min-trial-seconds: " + e.getMessage());
        }
        return new WorkerOptions(
                uri, token.trim(), threads, Duration.ofMillis((long) (poll * 1000)), reportEvery, t, bandwidth);
    }

    private static int integer(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + value + ": not a whole number");
        }
    }

    private static double number(String option, String value) {
        try {
            double d = Double.parseDouble(value);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + value + ": not a number");
        }
    }
}
