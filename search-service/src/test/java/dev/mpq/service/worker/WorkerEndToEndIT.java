package dev.mpq.service.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.service.ServiceIT;
import dev.mpq.service.support.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The whole loop of issue 6 with the real worker jar as its own process: a CPU device from the
 * catalogue and two worker tokens; all-MiniLM-L6-v2 uploaded as ONNX; a profile task measured by a
 * worker that is killed (SIGKILL) half-way and finished by a second one, with exactly one measurement
 * per item; a search costed on the measured table; three points of its front validated by the worker
 * (measured latency per layer and in total, measured output error of the quantized network), shown
 * by the API beside the predictions; the worker stopped with SIGTERM. Timings are printed, never
 * asserted.
 */
class WorkerEndToEndIT extends ServiceIT {

    /** Weight-only precisions: the ids of a weight-error profile are weight formats. */
    private static final List<String> PRECISIONS = List.of("fp32", "int8", "int4-g128");

    private static final Duration PROFILE_TIMEOUT = Duration.ofMinutes(6);
    private static final Duration VALIDATION_TIMEOUT = Duration.ofMinutes(6);

    private final List<Process> workers = new ArrayList<>();

    @AfterEach
    void killWorkers() {
        workers.forEach(Process::destroyForcibly);
    }

    private static Path workerJar() {
        Path jar = Path.of(System.getProperty("user.dir"))
                .resolve("../devices/target/mpq-worker.jar")
                .normalize();
        assertThat(Files.isRegularFile(jar))
                .as(
                        "the worker jar %s is missing: build it first with ./mvnw -B -q -pl devices -am install -DskipTests"
                                + " (the reactor builds devices before search-service)",
                        jar)
                .isTrue();
        return jar;
    }

    private Process startWorker(String token, String name) throws IOException {
        Path log = Path.of(System.getProperty("user.dir"), "target", "worker-e2e-" + name + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "-Xmx2g",
                "-jar",
                workerJar().toString(),
                "worker",
                "--server",
                "http://127.0.0.1:" + port,
                "--token",
                token,
                "--threads",
                "2",
                "--poll-seconds",
                "0.5",
                "--report-every",
                "2",
                "--trials",
                "5",
                "--warmup-seconds",
                "0.1",
                "--min-trial-seconds",
                "0.02");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        workers.add(process);
        System.out.printf("worker %s started (pid %d), log %s%n", name, process.pid(), log);
        return process;
    }

    private String token(long device, String name) {
        ApiClient.Response issued = api.post("/api/devices/%d/workers".formatted(device), Map.of("name", name));
        assertThat(issued.status()).as("%s", issued.body()).isEqualTo(201);
        return issued.body().get("token").asString();
    }

    private long uploadMiniLm() throws Exception {
        byte[] model;
        try (InputStream in = WorkerEndToEndIT.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            assertThat(in)
                    .as("all-MiniLM-L6-v2 on the test classpath (Maven test dependency)")
                    .isNotNull();
            model = in.readAllBytes();
        }
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d/api/networks/onnx?name=%s"
                                        .formatted(port, unique("minilm"))))
                                .header("Content-Type", "application/octet-stream")
                                .timeout(Duration.ofMinutes(2))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(model))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode network = api.json().readTree(response.body());
        assertThat(network.get("layers").size()).isEqualTo(36);
        return network.get("id").asLong();
    }

    /** Polls until the condition holds; fails naming what was awaited after {@code timeout}. */
    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for %s", timeout, what).isLessThan(end);
            Thread.sleep(200);
        }
    }

    private JsonNode measurements(long device) {
        return api.get("/api/devices/%d/measurements".formatted(device)).body();
    }

    private JsonNode task(long device, long taskId) {
        for (JsonNode t : api.get("/api/devices/%d/tasks".formatted(device)).body()) {
            if (t.get("id").asLong() == taskId) {
                return t;
            }
        }
        throw new AssertionError("task " + taskId + " not listed");
    }

    @Test
    void workerProfilesThroughAKillThenValidatesThreePointsOfAMeasuredSearch() throws Exception {
        workerJar(); // fail early, naming the build command, when the jar is missing
        ApiClient.Response created = api.post("/api/devices", Map.of("name", unique("cpu"), "catalogue", "avx2-cpu"));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        long device = created.body().get("id").asLong();
        String firstToken = token(device, "first");
        String secondToken = token(device, "second");
        long network = uploadMiniLm();

        ApiClient.Response job = api.post(
                "/api/networks/%d/profile-jobs".formatted(network),
                Map.of("method", "weight-error", "formats", PRECISIONS));
        assertThat(job.status()).as("%s", job.body()).isEqualTo(202);
        String jobLocation = job.location().orElseThrow();

        ApiClient.Response planned = api.post(
                "/api/devices/%d/profile-tasks".formatted(device),
                Map.of("networkId", network, "precisions", PRECISIONS, "batches", List.of(1, 8)));
        assertThat(planned.status()).as("%s", planned.body()).isEqualTo(201);
        long taskId = planned.body().get("id").asLong();
        int items = planned.body().get("items").asInt();
        assertThat(items)
                .as("MiniLM's 3 distinct weight shapes x 3 precisions x 2 batches")
                .isEqualTo(18);

        // the first worker measures part of the table and is killed without warning
        long profileStart = System.nanoTime();
        Process first = startWorker(firstToken, "first");
        await(
                "the first measurements",
                PROFILE_TIMEOUT,
                () -> measurements(device).size() >= 1);
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int atKill = measurements(device).size();
        System.out.printf(
                "first worker killed after %.1f s with %d of %d items reported%n",
                (System.nanoTime() - profileStart) / 1e9, atKill, items);
        assertThat(atKill).as("killed in the middle of profiling").isBetween(1, items - 1);

        // a second worker of the same device takes the task over once the lease expires
        Process second = startWorker(secondToken, "second");
        long secondStart = System.nanoTime();
        await(
                "the profile task to finish",
                PROFILE_TIMEOUT,
                () -> task(device, taskId).get("status").asString().equals("DONE"));
        System.out.printf(
                "second worker finished the remaining %d items in %.1f s (%.1f s per item, JVM start and probe included)%n",
                items - atKill,
                (System.nanoTime() - secondStart) / 1e9,
                (System.nanoTime() - secondStart) / 1e9 / (items - atKill));
        JsonNode table = measurements(device);
        Set<String> keys = new HashSet<>();
        table.forEach(m -> keys.add(m.get("itemKey").asString()));
        assertThat(table.size()).as("one measurement per item").isEqualTo(items);
        assertThat(keys).as("no item measured twice").hasSize(items);
        assertThat(task(device, taskId).get("attempts").asInt()).isGreaterThanOrEqualTo(2);
        table.forEach(m -> System.out.printf(
                "  %-40s %10.4f ms (half-IQR %.4f ms, %d runs, %d threads)%n",
                m.get("itemKey").asString(),
                m.get("seconds").asDouble() * 1e3,
                m.get("spread").asDouble() * 1e3,
                m.get("runs").asInt(),
                m.get("threads").asInt()));

        // a weight-error profile whose option ids are the measured precisions
        await("the profile job", Duration.ofMinutes(5), () -> {
            String status = api.get(jobLocation).body().get("status").asString();
            assertThat(status).isNotEqualTo("FAILED");
            return status.equals("DONE");
        });
        long profile = api.get(jobLocation).body().get("profileId").asLong();

        String location = api.post(
                        "/api/searches",
                        Map.of(
                                "networkId",
                                network,
                                "profileId",
                                profile,
                                "deviceId",
                                device,
                                "batch",
                                1,
                                "front",
                                List.of("latency"),
                                "frontPoints",
                                20))
                .location()
                .orElseThrow();
        JsonNode search = api.awaitSearch(location, Duration.ofMinutes(2));
        assertThat(search.get("status").asString()).as("%s", search).isEqualTo("DONE");
        JsonNode result = search.get("result");
        JsonNode sources = result.get("costs").get("sources");
        assertThat(sources.size()).isEqualTo(36);
        sources.properties().forEach(layer -> {
            for (String precision : PRECISIONS) {
                assertThat(layer.getValue().get(precision).asString())
                        .as("layer %s in %s is costed from the worker's table", layer.getKey(), precision)
                        .isEqualTo("measured");
            }
        });
        JsonNode front = result.get("points");
        assertThat(front.size()).as("a front with at least three points").isGreaterThanOrEqualTo(3);
        List<Integer> points = List.of(0, front.size() / 2, front.size() - 1);

        long searchId = search.get("id").asLong();
        ApiClient.Response validations =
                api.post("/api/searches/%d/validations".formatted(searchId), Map.of("points", points, "batch", 1));
        assertThat(validations.status()).as("%s", validations.body()).isEqualTo(201);
        long validationStart = System.nanoTime();
        await("three validations", VALIDATION_TIMEOUT, () -> {
            JsonNode v =
                    api.get("/api/searches/%d/validations".formatted(searchId)).body();
            return v.size() == 3
                    && v.valueStream().allMatch(p -> p.get("status").asString().equals("DONE"));
        });
        System.out.printf("three validations in %.1f s%n", (System.nanoTime() - validationStart) / 1e9);

        JsonNode done =
                api.get("/api/searches/%d/validations".formatted(searchId)).body();
        System.out.println(
                "point | predicted penalty | predicted latency ms | measured total ms | latency error | measured output error");
        for (JsonNode v : done) {
            JsonNode measured = v.get("measured");
            JsonNode predicted = v.get("predicted");
            assertThat(measured.get("totalSeconds").asDouble()).isPositive();
            assertThat(measured.get("layerSeconds").size())
                    .as("every layer timed")
                    .isEqualTo(36);
            measured.get("layerSeconds").forEach(s -> assertThat(s.asDouble()).isPositive());
            assertThat(measured.get("outputError").isNumber())
                    .as("the output error of the quantized network: %s", measured)
                    .isTrue();
            assertThat(measured.get("outputError").asDouble()).isGreaterThanOrEqualTo(0);
            assertThat(measured.get("errorMetric").asString()).contains("mse of the mean-pooled output");
            assertThat(predicted.get("latency").asDouble()).isPositive();
            assertThat(predicted.has("penalty")).isTrue();
            assertThat(v.get("latencyError").isNumber()).isTrue();
            System.out.printf(
                    "%5d | %17.6g | %20.4f | %17.4f | %13.3f | %.6g%n",
                    v.get("pointIndex").asInt(),
                    predicted.get("penalty").asDouble(),
                    predicted.get("latency").asDouble() * 1e3,
                    measured.get("totalSeconds").asDouble() * 1e3,
                    v.get("latencyError").asDouble(),
                    measured.get("outputError").asDouble());
            System.out.println("      " + measured.get("environment").asString());
        }
        JsonNode highest = done.valueStream()
                .max((a, b) -> Double.compare(
                        a.get("predicted").get("penalty").asDouble(),
                        b.get("predicted").get("penalty").asDouble()))
                .orElseThrow();
        assertThat(highest.get("measured").get("outputError").asDouble())
                .as("the most quantized point of the front changes the output")
                .isPositive();

        // SIGTERM: the worker stops cleanly (nothing leased now)
        second.destroy();
        assertThat(second.waitFor(60, TimeUnit.SECONDS))
                .as("the worker exits after SIGTERM")
                .isTrue();
        String log = Files.readString(Path.of(System.getProperty("user.dir"), "target", "worker-e2e-second.log"));
        assertThat(log).contains("stop requested (SIGTERM)", "stopped");
    }
}
