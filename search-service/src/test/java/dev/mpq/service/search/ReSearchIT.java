package dev.mpq.service.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.service.MpqApplication;
import dev.mpq.service.support.ApiClient;
import dev.mpq.service.support.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;

/**
 * Standing searches run again by themselves, exactly once per cause, with two service replicas on
 * one database and across a restart.
 */
class ReSearchIT {

    private final List<ConfigurableApplicationContext> replicas = new ArrayList<>();
    private final JdbcClient jdbc = JdbcClient.create(dataSource());

    private static DriverManagerDataSource dataSource() {
        TestPostgres.Connection c = TestPostgres.get();
        return new DriverManagerDataSource(c.url(), c.user(), c.password());
    }

    @AfterEach
    void stopReplicas() {
        replicas.forEach(ConfigurableApplicationContext::close);
    }

    private ApiClient replica(int workers) {
        return replica(workers, "1s");
    }

    private ApiClient replica(int workers, String interval) {
        TestPostgres.Connection c = TestPostgres.get();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(MpqApplication.class)
                .run( // command-line arguments: they win over application.yml
                        "--server.port=0",
                        "--mpq.db.url=" + c.url(),
                        "--mpq.db.user=" + c.user(),
                        "--mpq.db.password=" + c.password(),
                        "--mpq.jobs.workers=" + workers,
                        "--mpq.jobs.poll=100ms",
                        "--mpq.research.interval=" + interval);
        replicas.add(context);
        return ApiClient.local(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A network of four linear layers, a profile over two precisions, and two standing searches. */
    private record Setup(long network, List<Long> standing) {}

    private static Setup setUp(ApiClient api) {
        List<Map<String, Object>> layers = List.of(
                Map.of("name", "q", "kind", "linear", "shape", List.of(256, 256)),
                Map.of("name", "k", "kind", "linear", "shape", List.of(256, 256)),
                Map.of("name", "up", "kind", "linear", "shape", List.of(1024, 256)),
                Map.of("name", "down", "kind", "linear", "shape", List.of(256, 1024)));
        long network = api.post("/api/networks", Map.of("name", unique("re-search"), "layers", layers))
                .body()
                .get("id")
                .asLong();
        List<Map<String, Object>> penalties = new ArrayList<>();
        for (Map<String, Object> layer : layers) {
            penalties.add(Map.of("name", layer.get("name"), "penalties", Map.of("int8:int8", 0.01, "int4-g128", 0.2)));
        }
        long profile = api.post(
                        "/api/networks/%d/profiles".formatted(network), Map.of("method", "user", "layers", penalties))
                .body()
                .get("id")
                .asLong();
        List<Long> standing = new ArrayList<>();
        for (Map<String, Object> search : List.of(
                Map.<String, Object>of("front", List.of("latency")),
                Map.<String, Object>of("relativeBudgets", Map.of("bytes", 0.5)))) {
            ApiClient.Response created = api.post(
                    "/api/networks/%d/standing-searches".formatted(network),
                    Map.of("name", unique("standing"), "profileId", profile, "search", search));
            assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
            standing.add(created.body().get("id").asLong());
        }
        return new Setup(network, standing);
    }

    private long register(ApiClient api) {
        ApiClient.Response device = api.post("/api/devices", Map.of("name", unique("cpu"), "catalogue", "avx2-cpu"));
        assertThat(device.status()).as("%s", device.body()).isEqualTo(201);
        return device.body().get("id").asLong();
    }

    private long searches(long device, Setup setup, String reason) {
        return jdbc.sql("""
                        SELECT count(*) FROM search
                        WHERE device_id = :device AND reason = :reason AND standing_search_id IN (:standing)
                        """)
                .param("device", device)
                .param("reason", reason)
                .param("standing", setup.standing())
                .query(Long.class)
                .single();
    }

    private static void eventually(Supplier<Boolean> condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            assertThat(System.nanoTime()).as("condition within %s", timeout).isLessThan(end);
            Thread.sleep(200);
        }
    }

    @Test
    void registeringADeviceQueuesOneSearchPerStandingSearchWithTwoReplicasAndChangedInputsOneMore() throws Exception {
        ApiClient first = replica(1);
        ApiClient second = replica(1);
        Setup setup = setUp(first);
        long device = register(second);
        assertThat(searches(device, setup, "device-registered"))
                .as("one per standing search, at once")
                .isEqualTo(2);

        Thread.sleep(3500); // several ticks of both replicas: inputs unchanged, nothing more
        assertThat(searches(device, setup, "device-registered") + searches(device, setup, "inputs-changed"))
                .isEqualTo(2);

        importMeasuredTable(first, device);
        eventually(() -> searches(device, setup, "inputs-changed") == 2, Duration.ofSeconds(20));
        Thread.sleep(3000);
        assertThat(searches(device, setup, "inputs-changed"))
                .as("changed inputs run once")
                .isEqualTo(2);

        JsonNode list = first.get("/api/searches?networkId=" + setup.network()).body();
        assertThat(list.valueStream().map(s -> s.get("reason").asString()))
                .contains("device-registered", "inputs-changed");
        for (JsonNode s : list) {
            JsonNode done = first.awaitSearch("/api/searches/" + s.get("id").asLong(), Duration.ofSeconds(60));
            assertThat(done.get("status").asString()).as("%s", done).isEqualTo("DONE");
            assertThat(done.get("result")
                            .get("costs")
                            .get("sources")
                            .get("q")
                            .valueStream()
                            .map(JsonNode::asString))
                    .allMatch(source -> source.equals("measured") || source.equals("predicted"));
        }
    }

    @Test
    void aReplicaWithALongerIntervalDoesNotSilenceTheOthers() throws Exception {
        replica(0, "1h");
        ConfigurableApplicationContext hourly = replicas.get(replicas.size() - 1);
        ApiClient fast = replica(1);
        Setup setup = setUp(fast);
        long device = register(fast);
        hourly.getBean(ReSearch.class).tick(); // takes the lock and compares: nothing changed yet

        importMeasuredTable(fast, device);
        eventually(() -> searches(device, setup, "inputs-changed") == 2, Duration.ofSeconds(20));
    }

    /** Imports a measured table for the set-up network's shapes, which changes its searches' inputs. */
    private static void importMeasuredTable(ApiClient api, long device) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int precision = 0; precision < 2; precision++) {
            for (long[] shape : new long[][] {{256, 256}, {1024, 256}, {256, 1024}}) {
                long params = shape[0] * shape[1];
                points.add(Map.of(
                        "kind",
                        "linear",
                        "weightShape",
                        List.of(shape[0], shape[1]),
                        "macs",
                        params,
                        "precision",
                        precision == 0 ? "int8:int8" : "int4-g128",
                        "batch",
                        1,
                        "latencySeconds",
                        params * (precision == 0 ? 2e-10 : 1.5e-10)));
            }
        }
        ApiClient.Response imported =
                api.post("/api/devices/%d/measured-table".formatted(device), Map.of("name", "bench", "points", points));
        assertThat(imported.status()).as("%s", imported.body()).isEqualTo(200);
    }

    @Test
    void aRestartBetweenRegistrationAndExecutionLosesNothing() throws Exception {
        ApiClient apiOnly = replica(0);
        Setup setup = setUp(apiOnly);
        long device = register(apiOnly);
        assertThat(searches(device, setup, "device-registered")).isEqualTo(2);
        replicas.remove(0).close();

        ApiClient restarted = replica(1);
        eventually(
                () -> jdbc.sql("""
                                        SELECT count(*) FROM search s JOIN job j ON j.id = s.job_id
                                        WHERE s.device_id = :device AND j.status = 'DONE'
                                          AND s.standing_search_id IN (:standing)
                                        """)
                                .param("device", device)
                                .param("standing", setup.standing())
                                .query(Long.class)
                                .single()
                        == 2,
                Duration.ofSeconds(60));
        JsonNode searches =
                restarted.get("/api/searches?networkId=" + setup.network()).body();
        assertThat(searches.valueStream().filter(s -> s.get("reason").asString().equals("device-registered")))
                .hasSize(2)
                .allSatisfy(s -> assertThat(s.get("status").asString()).isEqualTo("DONE"));
    }
}
