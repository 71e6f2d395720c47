package dev.mpq.devices.worker;

import static dev.mpq.devices.worker.ProtocolServer.Answer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.core.worker.MachineProbe;
import dev.mpq.core.worker.Measurement;
import dev.mpq.core.worker.ProfileItem;
import dev.mpq.core.worker.TaskLease;
import dev.mpq.core.worker.ValidateLayer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker's loop against an in-process server speaking the protocol: batching, finishing, retries
 * with backoff (recorded, not slept), lease loss, tokens. Kernels are replaced by a fake measurer, so
 * nothing here is timed.
 */
class WorkerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final MachineProbe PROBE =
            new MachineProbe("test CPU", 2, List.of("avx2"), Map.of("L2", 1L << 20), 1L << 30, 0, "test");

    private final StopSignal stop = new StopSignal();
    private final List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
    private final Pause recording = d -> {
        pauses.add(d);
        return !stop.requested();
    };
    private final List<String> measured = Collections.synchronizedList(new ArrayList<>());
    private final List<List<String>> warmedUp = Collections.synchronizedList(new ArrayList<>());
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final WorkerLog log = new WorkerLog(new PrintStream(logged, true, StandardCharsets.UTF_8));
    private final List<AutoCloseable> closing = new ArrayList<>();

    private final ItemMeasurer measurer = new ItemMeasurer() {
        @Override
        public boolean supports(ProfileItem item) {
            return !item.precision().equals("fp6-e3m2");
        }

        @Override
        public Measurement measure(ProfileItem item) {
            measured.add(item.key());
            return new Measurement(item.key(), 1e-4 * measured.size(), 1e-6, 3, "java", 2);
        }

        @Override
        public void warmUp(List<ProfileItem> items) {
            warmedUp.add(items.stream().map(ProfileItem::key).toList());
            measured.add("warm-up");
        }
    };

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private ProtocolServer server() throws IOException {
        ProtocolServer s = ProtocolServer.start();
        closing.add(s);
        return s;
    }

    private static List<ProfileItem> items(int n, String precision) {
        return IntStream.range(0, n)
                .mapToObj(i -> new ProfileItem(
                        "linear/64x%d/%s/b1".formatted(64 + i, precision),
                        "linear",
                        List.of(64L, 64L + i),
                        64L * (64 + i),
                        precision,
                        1))
                .toList();
    }

    private static String profileLease(long task, String token, List<ProfileItem> items) {
        return JSON.writeValueAsString(new TaskLease(task, TaskLease.PROFILE, token, 60, 3, items, List.of(), 0, null));
    }

    /** Answers a lease with nothing to do and asks the worker to stop. */
    private Answer idleThenStop() {
        return new Answer(204, "", stop::request);
    }

    private WorkerClient client(ProtocolServer s) {
        return new WorkerClient(URI.create(s.url()), "mpqw_test", Backoff.PROTOCOL, log);
    }

    private Worker worker(ProtocolServer s, int reportEvery, ConfigurationValidator validator) {
        WorkerClient client = client(s);
        ModelCache models = new ModelCache(client, log);
        closing.add(models);
        return new Worker(
                client,
                measurer,
                validator,
                models,
                stop,
                recording,
                log,
                new Worker.Settings(Duration.ofSeconds(5), reportEvery, "test", "test env"));
    }

    private Worker worker(ProtocolServer s, int reportEvery) {
        return worker(s, reportEvery, (layers, batch, model, cancelled) -> {
            throw new AssertionError("no validation expected");
        });
    }

    private static List<JsonNode> bodies(List<ProtocolServer.Request> requests) {
        return requests.stream().map(r -> JSON.readTree(r.body())).toList();
    }

    @Test
    void reportsMeasurementsInBatchesAsTheyAreTakenAndFinishesOnTheLast() throws IOException {
        ProtocolServer s = server();
        List<ProfileItem> items = items(7, "int4-g128");
        s.script(ProtocolServer.LEASE, Answer.of(200, profileLease(11, "lease-a", items)), idleThenStop());

        assertThat(worker(s, 3).run(PROBE)).isZero();

        List<JsonNode> reports = bodies(s.requests(ProtocolServer.MEASUREMENTS));
        assertThat(reports).extracting(r -> r.get("measurements").size()).containsExactly(3, 3, 1);
        assertThat(reports).extracting(r -> r.get("finished").asBoolean()).containsExactly(false, false, true);
        assertThat(reports).allMatch(r -> r.get("leaseToken").asString().equals("lease-a"));
        assertThat(reports).allMatch(r -> r.get("environment").asString().equals("test env"));
        List<String> keys = new ArrayList<>();
        reports.forEach(r ->
                r.get("measurements").forEach(m -> keys.add(m.get("itemKey").asString())));
        assertThat(keys)
                .containsExactlyElementsOf(items.stream().map(ProfileItem::key).toList());
        assertThat(warmedUp).containsExactly(keys);
        assertThat(measured).as("the warm-up comes before any item is timed").startsWith("warm-up");
        assertThat(s.requests(ProtocolServer.MEASUREMENTS))
                .allMatch(r -> r.path().equals("/api/worker/tasks/11/measurements"));
        assertThat(s.requests(ProtocolServer.HELLO)).hasSize(1);
        assertThat(JSON.readTree(s.requests(ProtocolServer.HELLO).get(0).body())
                        .get("probe")
                        .get("cpuModel")
                        .asString())
                .isEqualTo("test CPU");
        assertThat(s.requests(ProtocolServer.LEASE))
                .as("every call carries the bearer token")
                .allMatch(r -> "Bearer mpqw_test".equals(r.authorization()));
    }

    @Test
    void ridesOutAServerThatIsDownWithExponentialBackoffThenResumes() throws IOException {
        int port;
        try (ProtocolServer probe = ProtocolServer.start()) {
            port = probe.port(); // a free port, closed again: the server is "down"
        }
        ProtocolServer[] restarted = new ProtocolServer[1];
        Pause restartOnFifthRetry = d -> {
            pauses.add(d);
            if (pauses.size() == 5) {
                try {
                    restarted[0] = ProtocolServer.start(port);
                    restarted[0].script(ProtocolServer.LEASE, idleThenStop());
                    closing.add(restarted[0]);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return !stop.requested();
        };
        WorkerClient client = new WorkerClient(URI.create("http://127.0.0.1:" + port), "t", Backoff.PROTOCOL, log);
        Worker worker = new Worker(
                client,
                measurer,
                (l, b, m, c) -> Optional.empty(),
                new ModelCache(client, log),
                stop,
                restartOnFifthRetry,
                log,
                new Worker.Settings(Duration.ofSeconds(5), 4, "test", "env"));

        assertThat(worker.run(PROBE)).isZero();

        assertThat(pauses.subList(0, 5))
                .containsExactly(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(16));
        assertThat(restarted[0].requests(ProtocolServer.HELLO)).hasSize(1);
        assertThat(restarted[0].requests(ProtocolServer.LEASE)).hasSize(1);
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("hello failed", "retrying in 16 s");
    }

    @Test
    void serverErrorsAreRetriedWithBackoffAndARetriedReportCarriesTheSameLeaseTokenAndMeasurements()
            throws IOException {
        ProtocolServer s = server();
        s.script(ProtocolServer.HELLO, Answer.of(503, ""), Answer.of(502, ""));
        s.script(ProtocolServer.LEASE, Answer.of(200, profileLease(5, "lease-x", items(2, "int8"))), idleThenStop());
        s.script(ProtocolServer.MEASUREMENTS, Answer.of(500, "{\"detail\": \"database restarting\"}"));

        assertThat(worker(s, 4).run(PROBE)).isZero();

        assertThat(s.requests(ProtocolServer.HELLO)).hasSize(3);
        List<ProtocolServer.Request> reports = s.requests(ProtocolServer.MEASUREMENTS);
        assertThat(reports).hasSize(2);
        assertThat(reports.get(1).body())
                .as("the retry is the same report, byte for byte")
                .isEqualTo(reports.get(0).body());
        assertThat(JSON.readTree(reports.get(1).body()).get("leaseToken").asString())
                .isEqualTo("lease-x");
        assertThat(measured)
                .as("nothing measured twice")
                .containsExactly("warm-up", "linear/64x64/int8/b1", "linear/64x65/int8/b1");
        assertThat(pauses)
                .as("hello: 1 s, 2 s; the report: 1 s again (each call backs off from the start)")
                .startsWith(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    @Test
    void aLeaseLostOnAReportDropsTheTaskAndLeasesAgain() throws IOException {
        ProtocolServer s = server();
        s.script(
                ProtocolServer.LEASE,
                Answer.of(200, profileLease(9, "old", items(6, "int4-g64"))),
                Answer.of(200, profileLease(9, "new", items(6, "int4-g64").subList(4, 6))),
                idleThenStop());
        s.script(
                ProtocolServer.MEASUREMENTS,
                Answer.of(409, "{\"detail\": \"The lease on task 9 is no longer yours\"}"));

        assertThat(worker(s, 2).run(PROBE)).isZero();

        assertThat(measured)
                .as("two items of the first lease (then 409), the two of the second")
                .filteredOn(key -> !key.equals("warm-up"))
                .hasSize(4);
        List<JsonNode> reports = bodies(s.requests(ProtocolServer.MEASUREMENTS));
        assertThat(reports).extracting(r -> r.get("leaseToken").asString()).containsExactly("old", "new");
        assertThat(reports.get(1).get("finished").asBoolean()).isTrue();
        assertThat(s.requests(ProtocolServer.LEASE)).hasSize(3);
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("lease lost");
    }

    @Test
    void itemsWithoutAKernelAreReportedAsFailuresWithTheFirstBatchOrAlone() throws IOException {
        ProtocolServer s = server();
        List<ProfileItem> mixed = new ArrayList<>(items(2, "int8"));
        mixed.addAll(items(2, "fp6-e3m2"));
        s.script(
                ProtocolServer.LEASE,
                Answer.of(200, profileLease(4, "a", mixed)),
                Answer.of(200, profileLease(4, "b", items(2, "fp6-e3m2"))),
                idleThenStop());

        assertThat(worker(s, 4).run(PROBE)).isZero();

        assertThat(measured).hasSize(3);
        assertThat(warmedUp)
                .as("only the items with a kernel are warmed up")
                .containsExactly(
                        mixed.subList(0, 2).stream().map(ProfileItem::key).toList());
        List<JsonNode> reports = bodies(s.requests(ProtocolServer.MEASUREMENTS));
        assertThat(reports).hasSize(2);
        assertThat(reports.get(0).get("finished").asBoolean()).isTrue();
        assertThat(reports.get(0).get("measurements").size()).isEqualTo(2);
        assertThat(reports.get(0)
                        .get("failures")
                        .valueStream()
                        .map(f -> f.get("itemKey").asString()))
                .as("the items without a kernel, named once, with the first batch")
                .containsExactlyElementsOf(
                        mixed.subList(2, 4).stream().map(ProfileItem::key).toList());
        assertThat(reports.get(0).get("failures").get(0).get("reason").asString())
                .contains("fp6-e3m2");
        assertThat(reports.get(1).get("measurements").size())
                .as("nothing measurable")
                .isZero();
        assertThat(reports.get(1).get("failures").size()).isEqualTo(2);
        assertThat(reports.get(1).get("finished").asBoolean()).isTrue();
        assertThat(pauses)
                .as("nothing to wait out: the failures settle the task")
                .doesNotContain(Duration.ofSeconds(60));
    }

    @Test
    void anUnknownTokenEndsTheWorkerWithExitCodeTwo() throws IOException {
        ProtocolServer s = server();
        s.script(ProtocolServer.HELLO, Answer.of(401, "{\"detail\": \"Unknown worker token\"}"));

        assertThat(worker(s, 4).run(PROBE)).isEqualTo(2);
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("refused the worker token (401)");
        assertThat(pauses).as("401 is not retried").isEmpty();
    }

    @Test
    void validationReportsTheOutcomeAndDownloadsTheModelOncePerUrlWithTheToken() throws IOException {
        ProtocolServer s = server();
        List<ValidateLayer> layers = List.of(
                new ValidateLayer("q", "linear", List.of(64L, 64L), 0L, "int8"),
                new ValidateLayer("up", "linear", List.of(256L, 64L), 0L, "int4-g64"));
        String url = "/api/worker/networks/2/model";
        String lease1 =
                JSON.writeValueAsString(new TaskLease(21, TaskLease.VALIDATE, "v1", 60, 3, List.of(), layers, 1, url));
        String lease2 =
                JSON.writeValueAsString(new TaskLease(22, TaskLease.VALIDATE, "v2", 60, 3, List.of(), layers, 8, url));
        s.script(ProtocolServer.LEASE, Answer.of(200, lease1), Answer.of(200, lease2), idleThenStop());
        s.otherwise(ProtocolServer.MODEL, () -> Answer.of(200, "onnx bytes"));
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        ConfigurationValidator validator = (ls, batch, model, cancelled) -> {
            try {
                seen.add(batch + ":" + Files.readString(model.orElseThrow()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return Optional.of(new ConfigurationValidator.Outcome(
                    Map.of("q", 1e-5, "up", 2e-5), 3.5e-5, 0.004, "mse", "env b" + batch));
        };

        assertThat(worker(s, 4, validator).run(PROBE)).isZero();

        assertThat(seen).containsExactly("1:onnx bytes", "8:onnx bytes");
        assertThat(s.requests(ProtocolServer.MODEL)).hasSize(1);
        assertThat(s.requests(ProtocolServer.MODEL).get(0).authorization()).isEqualTo("Bearer mpqw_test");
        List<ProtocolServer.Request> reports = s.requests(ProtocolServer.VALIDATION);
        assertThat(reports)
                .extracting(ProtocolServer.Request::path)
                .containsExactly("/api/worker/tasks/21/validation", "/api/worker/tasks/22/validation");
        JsonNode first = JSON.readTree(reports.get(0).body());
        assertThat(first.get("leaseToken").asString()).isEqualTo("v1");
        assertThat(first.get("totalSeconds").asDouble()).isEqualTo(3.5e-5);
        assertThat(first.get("layerSeconds").get("up").asDouble()).isEqualTo(2e-5);
        assertThat(first.get("outputError").asDouble()).isEqualTo(0.004);
        assertThat(first.get("environment").asString()).isEqualTo("env b1");
    }

    @Test
    void aModelTheServerDoesNotHaveLeavesTheErrorUnmeasured() throws IOException {
        ProtocolServer s = server();
        List<ValidateLayer> layers = List.of(new ValidateLayer("q", "linear", List.of(64L, 64L), 0L, "int8"));
        s.script(
                ProtocolServer.LEASE,
                Answer.of(
                        200,
                        JSON.writeValueAsString(new TaskLease(
                                30,
                                TaskLease.VALIDATE,
                                "v",
                                60,
                                3,
                                List.of(),
                                layers,
                                1,
                                "/api/worker/networks/9/model"))),
                idleThenStop());
        List<Optional<Path>> models = new ArrayList<>();
        ConfigurationValidator validator = (ls, batch, model, cancelled) -> {
            models.add(model);
            return Optional.of(new ConfigurationValidator.Outcome(Map.of("q", 1e-5), 1e-5, null, null, "env"));
        };

        assertThat(worker(s, 4, validator).run(PROBE)).isZero();

        assertThat(models).containsExactly(Optional.empty());
        assertThat(JSON.readTree(s.requests(ProtocolServer.VALIDATION).get(0).body())
                        .get("outputError")
                        .isNull())
                .isTrue();
    }
}
