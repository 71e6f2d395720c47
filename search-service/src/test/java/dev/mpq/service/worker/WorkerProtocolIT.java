package dev.mpq.service.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.service.ServiceIT;
import dev.mpq.service.support.ApiClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The worker protocol from a worker's side, spoken over HTTP as any worker (Java or not) would:
 * tokens bind a worker to its device, leases expire and move to another worker, reports with a
 * stale lease are refused, and a retried report is not counted twice.
 */
class WorkerProtocolIT extends ServiceIT {

    @Autowired
    JdbcClient jdbc;

    private long device(String name) {
        return api.post("/api/devices", Map.of("name", unique(name), "kind", "cpu"))
                .body()
                .get("id")
                .asLong();
    }

    private long network() {
        List<Map<String, Object>> layers = new ArrayList<>();
        layers.add(Map.of("name", "q", "kind", "linear", "shape", List.of(64, 64)));
        layers.add(Map.of("name", "k", "kind", "linear", "shape", List.of(64, 64)));
        layers.add(Map.of("name", "up", "kind", "linear", "shape", List.of(256, 64)));
        layers.add(Map.of("name", "down", "kind", "linear", "shape", List.of(64, 256)));
        return api.post("/api/networks", Map.of("name", unique("net"), "layers", layers))
                .body()
                .get("id")
                .asLong();
    }

    private ApiClient worker(long device, String name) {
        ApiClient.Response issued = api.post("/api/devices/%d/workers".formatted(device), Map.of("name", name));
        assertThat(issued.status()).isEqualTo(201);
        assertThat(issued.body().get("token").asString()).startsWith("mpqw_");
        ApiClient worker = api.withToken(issued.body().get("token").asString());
        Map<String, Object> probe = Map.of(
                "cpuModel",
                "test CPU",
                "cores",
                2,
                "simd",
                List.of("avx2", "fma"),
                "memoryBytes",
                1L << 30,
                "runtime",
                "test");
        ApiClient.Response hello = worker.post("/api/worker/hello", Map.of("workerVersion", "test", "probe", probe));
        assertThat(hello.status()).as("%s", hello.body()).isEqualTo(200);
        return worker;
    }

    private static Map<String, Object> measurement(String key) {
        return Map.of("itemKey", key, "seconds", 1e-4, "spread", 1e-6, "runs", 5, "runtime", "java", "threads", 2);
    }

    private static Map<String, Object> report(String token, List<String> keys, boolean finished) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("leaseToken", token);
        report.put(
                "measurements", keys.stream().map(WorkerProtocolIT::measurement).toList());
        report.put("environment", "test");
        report.put("finished", finished);
        return report;
    }

    @Test
    void tokensAreRequiredAndBindAWorkerToItsDevice() {
        assertThat(api.post("/api/worker/lease", Map.of()).status()).isEqualTo(401);
        assertThat(api.withToken("mpqw_forged")
                        .post("/api/worker/lease", Map.of())
                        .status())
                .isEqualTo(401);
        long mine = device("cpu-a");
        long other = device("cpu-b");
        ApiClient outsider = worker(other, "w");
        api.post(
                "/api/devices/%d/profile-tasks".formatted(mine),
                Map.of("networkId", network(), "precisions", List.of("int8:int8"), "batches", List.of(1)));
        assertThat(outsider.post("/api/worker/lease", Map.of()).status())
                .as("no task of another device is leased")
                .isEqualTo(204);
        JsonNode workers = api.get("/api/devices/%d/workers".formatted(other)).body();
        assertThat(workers.get(0).get("probe").get("cpuModel").asString()).isEqualTo("test CPU");
        assertThat(workers.get(0).has("token")).isFalse();
    }

    @Test
    void killedWorkersTaskMovesToAnotherAndEveryMeasurementIsStoredOnce() throws Exception {
        long device = device("cpu");
        long network = network();
        ApiClient.Response task = api.post(
                "/api/devices/%d/profile-tasks".formatted(device),
                Map.of("networkId", network, "precisions", List.of("int8:int8", "int4-g64"), "batches", List.of(1, 8)));
        assertThat(task.status()).as("%s", task.body()).isEqualTo(201);
        long taskId = task.body().get("id").asLong();
        assertThat(task.body().get("items").asInt())
                .as("3 distinct shapes x 2 precisions x 2 batches")
                .isEqualTo(12);

        ApiClient first = worker(device, "first");
        long leasedBefore = System.nanoTime();
        JsonNode lease = first.post("/api/worker/lease", Map.of()).body();
        assertThat(lease.get("taskId").asLong()).isEqualTo(taskId);
        List<String> keys = lease.get("items")
                .valueStream()
                .map(i -> i.get("key").asString())
                .toList();
        assertThat(keys).hasSize(12).doesNotHaveDuplicates();
        String firstToken = lease.get("leaseToken").asString();
        JsonNode ack = first.post(
                        "/api/worker/tasks/%d/measurements".formatted(taskId),
                        report(firstToken, keys.subList(0, 5), false))
                .body();
        assertThat(ack.get("accepted").asInt()).isEqualTo(5);
        assertThat(ack.get("remaining").asInt()).isEqualTo(7);
        // the first worker is killed here: no heartbeat, no more reports

        ApiClient second = worker(device, "second");
        ApiClient.Response early = second.post("/api/worker/lease", Map.of());
        JsonNode again;
        if (early.status() == 204) { // the lease still holds
            Thread.sleep(2500);
            again = second.post("/api/worker/lease", Map.of()).body();
        } else { // a slow machine got here after the lease ran out: that is the only way to take it over
            assertThat(Duration.ofNanos(System.nanoTime() - leasedBefore))
                    .as("taken over before the 2 s lease ran out")
                    .isGreaterThan(Duration.ofSeconds(2));
            again = early.body();
        }
        assertThat(again.get("taskId").asLong()).isEqualTo(taskId);
        List<String> rest = again.get("items")
                .valueStream()
                .map(i -> i.get("key").asString())
                .toList();
        assertThat(rest).as("only the items still missing").containsExactlyInAnyOrderElementsOf(keys.subList(5, 12));
        String secondToken = again.get("leaseToken").asString();

        ApiClient.Response stale = first.post(
                "/api/worker/tasks/%d/measurements".formatted(taskId), report(firstToken, keys.subList(5, 6), false));
        assertThat(stale.status()).as("a report with the old lease is refused").isEqualTo(409);
        assertThat(second.post("/api/worker/tasks/%d/heartbeat".formatted(taskId), Map.of("leaseToken", secondToken))
                        .status())
                .isEqualTo(200);

        Map<String, Object> last = report(secondToken, rest, true);
        JsonNode done = second.post("/api/worker/tasks/%d/measurements".formatted(taskId), last)
                .body();
        assertThat(done.get("accepted").asInt()).isEqualTo(7);
        assertThat(done.get("status").asString()).isEqualTo("DONE");
        JsonNode retried = second.post("/api/worker/tasks/%d/measurements".formatted(taskId), last)
                .body();
        assertThat(retried.get("accepted").asInt())
                .as("a retried report counts nothing")
                .isZero();

        long stored = jdbc.sql("SELECT count(*) FROM measurement WHERE task_id = :task")
                .param("task", taskId)
                .query(Long.class)
                .single();
        assertThat(stored).isEqualTo(12);
        JsonNode measurements =
                api.get("/api/devices/%d/measurements".formatted(device)).body();
        assertThat(measurements.size()).isEqualTo(12);
        JsonNode tasks = api.get("/api/devices/%d/tasks".formatted(device)).body();
        assertThat(tasks.get(0).get("status").asString()).isEqualTo("DONE");
        assertThat(tasks.get(0).get("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void itemsAWorkerCannotMeasureSettleTheTaskWithItsGapsNamed() {
        long device = device("cpu-f");
        long taskId = api.post(
                        "/api/devices/%d/profile-tasks".formatted(device),
                        Map.of(
                                "networkId",
                                network(),
                                "precisions",
                                List.of("int8:int8", "fp6-e3m2"),
                                "batches",
                                List.of(1)))
                .body()
                .get("id")
                .asLong();
        ApiClient worker = worker(device, "w");
        JsonNode lease = worker.post("/api/worker/lease", Map.of()).body();
        List<String> measurable = lease.get("items")
                .valueStream()
                .filter(i -> i.get("precision").asString().equals("int8:int8"))
                .map(i -> i.get("key").asString())
                .toList();
        List<Map<String, Object>> failures = lease.get("items")
                .valueStream()
                .filter(i -> i.get("precision").asString().equals("fp6-e3m2"))
                .map(i -> Map.<String, Object>of("itemKey", i.get("key").asString(), "reason", "no fp6 kernel"))
                .toList();
        Map<String, Object> report = report(lease.get("leaseToken").asString(), measurable, true);
        report.put("failures", failures);
        JsonNode ack = worker.post("/api/worker/tasks/%d/measurements".formatted(taskId), report)
                .body();
        assertThat(ack.get("status").asString()).isEqualTo("DONE");
        assertThat(ack.get("remaining").asInt()).isZero();
        JsonNode task =
                api.get("/api/devices/%d/tasks".formatted(device)).body().get(0);
        assertThat(task.get("status").asString()).isEqualTo("DONE");
        assertThat(task.get("error").asString())
                .contains("3 of 6 items could not be measured")
                .contains("no fp6 kernel");
        assertThat(api.get("/api/devices/%d/measurements".formatted(device))
                        .body()
                        .size())
                .isEqualTo(3);
    }

    @Test
    void validationStoresMeasuredLatencyBesideThePrediction() {
        long device = device("cpu-v");
        long network = network();
        List<String> names = List.of("q", "k", "up", "down");
        List<Map<String, Object>> penalties = new ArrayList<>();
        List<Map<String, Object>> costs = new ArrayList<>();
        for (String name : names) {
            penalties.add(Map.of("name", name, "penalties", Map.of("int8:int8", 1.0, "int4-g64", 4.0)));
            costs.add(Map.of(
                    "name",
                    name,
                    "costs",
                    Map.of("int8:int8", Map.of("latency", 2e-5), "int4-g64", Map.of("latency", 1e-5))));
        }
        long profile = api.post("/api/networks/" + network + "/profiles", Map.of("method", "user", "layers", penalties))
                .body()
                .get("id")
                .asLong();
        api.put("/api/devices/%d/cost-tables/%d".formatted(device, network), Map.of("layers", costs));
        String location = api.post(
                        "/api/searches",
                        Map.of(
                                "networkId",
                                network,
                                "profileId",
                                profile,
                                "deviceId",
                                device,
                                "front",
                                List.of("latency")))
                .location()
                .orElseThrow();
        JsonNode search = api.awaitSearch(location, Duration.ofSeconds(60));
        assertThat(search.get("status").asString()).isEqualTo("DONE");
        long searchId = search.get("id").asLong();
        assertThat(api.post("/api/searches/%d/validations".formatted(searchId), Map.of("points", List.of(0, 99)))
                        .status())
                .as("a point that does not exist")
                .isEqualTo(400);
        assertThat(api.post("/api/searches/%d/validations".formatted(searchId), Map.of("points", List.of(0)))
                        .status())
                .isEqualTo(201);

        ApiClient worker = worker(device, "validator");
        JsonNode lease = worker.post("/api/worker/lease", Map.of()).body();
        assertThat(lease.get("kind").asString()).isEqualTo("validate");
        assertThat(lease.get("layers").size()).isEqualTo(4);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("leaseToken", lease.get("leaseToken").asString());
        report.put("layerSeconds", Map.of("q", 1e-5, "k", 1e-5, "up", 3e-5, "down", 3e-5));
        report.put("totalSeconds", 8.5e-5);
        report.put("outputError", null);
        report.put("errorMetric", null);
        report.put("environment", "test");
        String path =
                "/api/worker/tasks/%d/validation".formatted(lease.get("taskId").asLong());
        assertThat(worker.post(path, report).status()).isEqualTo(200);
        assertThat(worker.post(path, report).status())
                .as("a retried report is accepted once")
                .isEqualTo(200);

        JsonNode validations =
                api.get("/api/searches/%d/validations".formatted(searchId)).body();
        assertThat(validations.size()).isEqualTo(1);
        JsonNode v = validations.get(0);
        assertThat(v.get("status").asString()).isEqualTo("DONE");
        assertThat(v.get("measured").get("totalSeconds").asDouble()).isEqualTo(8.5e-5);
        double predicted = v.get("predicted").get("latency").asDouble();
        assertThat(v.get("latencyError").asDouble())
                .isCloseTo((8.5e-5 - predicted) / predicted, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(v.get("measured").has("leaseToken")).isFalse();
    }
}
