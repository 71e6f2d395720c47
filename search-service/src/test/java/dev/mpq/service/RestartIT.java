package dev.mpq.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.service.support.ApiClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The packaged service as users run it ({@code java -jar mpq.jar serve}) on its embedded
 * PostgreSQL: data survives a restart and a {@code kill -9}; a server left behind by the killed
 * process is stopped at the next start; SIGTERM shuts everything down, database included; a queued
 * search is not lost across a kill.
 */
class RestartIT {

    private Path home;
    private Process service;
    private int port;

    @BeforeEach
    void home() throws IOException {
        home = Files.createTempDirectory("mpq-restart-");
    }

    @AfterEach
    void stop() throws Exception {
        if (service != null && service.isAlive()) {
            service.destroy();
            service.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private ApiClient start(Map<String, String> env) throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path jar = Path.of("target", "mpq.jar");
        assertThat(jar).as("the packaged service (run through Maven's verify)").exists();
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toString(),
                        "serve",
                        "--port",
                        Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        home.resolve("service.log").toFile()));
        builder.environment().put("MPQ_HOME", home.toString());
        builder.environment().remove("MPQ_DB_URL");
        builder.environment().putAll(env);
        service = builder.start();
        ApiClient api = ApiClient.local(port);
        long end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < end) {
            assertThat(service.isAlive()).as("service running; log: %s", log()).isTrue();
            try {
                ApiClient.Response health = api.get("/actuator/health");
                if (health.status() == 200 && health.body().toString().contains("\"status\":\"UP\"")) {
                    return api;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no health UP within 180 s; log: " + log());
    }

    private String log() {
        try {
            return Files.readString(home.resolve("service.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private long postmasterPid() throws IOException {
        Path pid = home.resolve("postgres/postmaster.pid");
        return Files.exists(pid) ? Long.parseLong(Files.readAllLines(pid).get(0).trim()) : -1;
    }

    @Test
    void dataSurvivesRestartAndKillAndSigtermStopsTheDatabase() throws Exception {
        ApiClient api = start(Map.of());
        Map<String, Object> network = Map.of(
                "name", "durable", "layers", List.of(Map.of("name", "l0", "kind", "linear", "shape", List.of(4, 4))));
        assertThat(api.post("/api/networks", network).status()).isEqualTo(201);

        long postmaster = postmasterPid();
        service.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9: no shutdown hooks run
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive))
                .as("the killed service leaves its PostgreSQL running")
                .hasValue(true);

        api = start(Map.of());
        assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive))
                .as("the left-over server was stopped")
                .isEmpty();
        JsonNode networks = api.get("/api/networks").body();
        assertThat(networks.valueStream().map(n -> n.get("name").asString())).containsExactly("durable");

        long second = postmasterPid();
        service.destroy(); // SIGTERM
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.exists(home.resolve("postgres/postmaster.pid")))
                .as("SIGTERM stops the embedded database cleanly")
                .isFalse();
        ProcessHandle.of(second)
                .ifPresent(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        assertThat(log()).doesNotContain("Exception in thread");

        api = start(Map.of());
        assertThat(api.get("/api/networks").body().size()).isEqualTo(1);
    }

    @Test
    void queuedSearchSurvivesAKillAndRunsAfterTheRestart() throws Exception {
        ApiClient api = start(Map.of("MPQ_JOBS_WORKERS", "0")); // an API-only replica: the job stays queued
        long network = api.post(
                        "/api/networks",
                        Map.of(
                                "name",
                                "n",
                                "layers",
                                List.of(
                                        Map.of("name", "a", "kind", "linear", "shape", List.of(8, 8)),
                                        Map.of("name", "b", "kind", "linear", "shape", List.of(8, 8)))))
                .body()
                .get("id")
                .asLong();
        Map<String, Object> penalties = Map.of("int4", 3.0, "int8", 1.0);
        long profile = api.post(
                        "/api/networks/" + network + "/profiles",
                        Map.of(
                                "method",
                                "user",
                                "layers",
                                List.of(
                                        Map.of("name", "a", "penalties", penalties),
                                        Map.of("name", "b", "penalties", penalties))))
                .body()
                .get("id")
                .asLong();
        long device = api.post("/api/devices", Map.of("name", "cpu", "kind", "cpu"))
                .body()
                .get("id")
                .asLong();
        Map<String, Object> costs = Map.of("int4", Map.of("latency", 1.0), "int8", Map.of("latency", 2.0));
        api.put(
                "/api/devices/%d/cost-tables/%d".formatted(device, network),
                Map.of("layers", List.of(Map.of("name", "a", "costs", costs), Map.of("name", "b", "costs", costs))));
        ApiClient.Response submitted = api.post(
                "/api/searches",
                Map.of(
                        "networkId",
                        network,
                        "profileId",
                        profile,
                        "deviceId",
                        device,
                        "budgets",
                        Map.of("latency", 3.0)));
        assertThat(submitted.status()).isEqualTo(202);
        String location = submitted.location().orElseThrow();
        assertThat(api.get(location).body().get("status").asString()).isEqualTo("QUEUED");

        service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        api = start(Map.of());
        JsonNode search = api.awaitSearch(location, Duration.ofSeconds(60));
        assertThat(search.get("status").asString()).isEqualTo("DONE");
        JsonNode point = search.get("result").get("points").get(0);
        assertThat(point.get("metrics").get("penalty").asDouble()).isEqualTo(4.0); // one int8, one int4
        assertThat(point.get("metrics").get("latency").asDouble()).isEqualTo(3.0);
    }
}
