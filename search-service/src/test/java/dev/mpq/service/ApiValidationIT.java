package dev.mpq.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.service.support.ApiClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Bad input gets RFC 9457 problem details that name the field, and leaves the database as it was.
 */
class ApiValidationIT extends ServiceIT {

    @Autowired
    JdbcClient jdbc;

    /**
     * Rows a request could have stored. Searches queued by the re-search scheduler for other tests'
     * standing searches (and their jobs) may appear at any moment in this shared database, so they
     * are not counted.
     */
    private long rows() {
        return jdbc.sql("""
                        SELECT (SELECT count(*) FROM network) + (SELECT count(*) FROM network_layer)
                             + (SELECT count(*) FROM sensitivity_profile) + (SELECT count(*) FROM device)
                             + (SELECT count(*) FROM device_cost_table)
                             + (SELECT count(*) FROM search WHERE standing_search_id IS NULL)
                             + (SELECT count(*) FROM job j WHERE NOT EXISTS (
                                   SELECT 1 FROM search s WHERE s.job_id = j.id AND s.standing_search_id IS NOT NULL))
                        """).query(Long.class).single();
    }

    /** Posts, expects a 4xx problem with an error on {@code field}, and checks nothing was stored. */
    private JsonNode rejected(String path, Object body, int status, String field) {
        long before = rows();
        ApiClient.Response response = api.post(path, body);
        assertThat(response.status()).as("%s", response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.body();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        if (field != null) {
            assertThat(problem.get("errors")
                            .valueStream()
                            .map(e -> e.get("field").asString()))
                    .as("%s", problem)
                    .contains(field);
        }
        assertThat(rows()).as("nothing stored").isEqualTo(before);
        return problem;
    }

    private static Map<String, Object> layer(String name, String tie) {
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put("name", name);
        layer.put("kind", "linear");
        layer.put("shape", List.of(8, 8));
        layer.put("parameters", 64);
        layer.put("macs", 64);
        layer.put("tieGroup", tie);
        return layer;
    }

    private long network(String name, List<Map<String, Object>> layers) {
        ApiClient.Response response = api.post("/api/networks", Map.of("name", name, "layers", layers));
        assertThat(response.status()).as("%s", response.body()).isEqualTo(201);
        assertThat(response.location())
                .hasValue("/api/networks/" + response.body().get("id").asLong());
        return response.body().get("id").asLong();
    }

    @Test
    void malformedJsonIsABadRequestWithProblemDetails() {
        JsonNode problem = rejected("/api/networks", "{\"name\": \"x\", \"layers\": [", 400, null);
        assertThat(problem.get("detail").asString()).contains("Malformed JSON").contains("line 1");
    }

    @Test
    void wrongTypeNamesTheField() {
        rejected(
                "/api/networks",
                "{\"name\": \"x\", \"layers\": [{\"name\": \"a\", \"kind\": \"linear\", \"parameters\": \"many\"}]}",
                400,
                "layers[0].parameters");
    }

    @Test
    void networkWithoutLayersOrWithBadLayersIsRejectedField() {
        rejected("/api/networks", Map.of("name", unique("n"), "layers", List.of()), 400, "layers");
        rejected(
                "/api/networks",
                Map.of("name", unique("n"), "layers", List.of(layer("a", null), layer("a", null))),
                400,
                "layers[1].name");
        Map<String, Object> badKind = layer("a", null);
        badKind.put("kind", "Dense");
        rejected("/api/networks", Map.of("name", unique("n"), "layers", List.of(badKind)), 400, "layers[0].kind");
        Map<String, Object> negative = layer("a", null);
        negative.put("macs", -1);
        rejected("/api/networks", Map.of("name", unique("n"), "layers", List.of(negative)), 400, "layers[0].macs");
    }

    @Test
    void duplicateNetworkNameIsAConflict() {
        String name = unique("dup");
        network(name, List.of(layer("a", null)));
        rejected("/api/networks", Map.of("name", name, "layers", List.of(layer("a", null))), 409, "name");
    }

    @Test
    void profileWithUnknownLayerOrPrecisionOrBadPenaltyIsRejected() {
        long id = network(unique("p"), List.of(layer("a", null), layer("b", null)));
        String path = "/api/networks/" + id + "/profiles";
        rejected(
                path,
                Map.of(
                        "method",
                        "user",
                        "layers",
                        List.of(
                                Map.of("name", "a", "penalties", Map.of("int4", 1.0)),
                                Map.of("name", "zzz", "penalties", Map.of("int4", 1.0)))),
                400,
                "layers[1].name");
        rejected(
                path,
                Map.of(
                        "method",
                        "user",
                        "layers",
                        List.of(
                                Map.of("name", "a", "penalties", Map.of("int4", 1.0)),
                                Map.of("name", "b", "penalties", Map.of("int17", 1.0)))),
                400,
                "layers[1].penalties.int17");
        rejected(
                path,
                Map.of(
                        "method",
                        "user",
                        "layers",
                        List.of(
                                Map.of("name", "a", "penalties", Map.of("int4", -1.0)),
                                Map.of("name", "b", "penalties", Map.of()))),
                400,
                "layers[0].penalties.int4");
        rejected(
                path,
                "{\"method\": \"user\", \"layers\": [{\"name\": \"a\", \"penalties\": {\"int4\": 1e400}},"
                        + " {\"name\": \"b\", \"penalties\": {\"int4\": 1}}]}",
                400,
                "layers[0].penalties.int4");
        rejected(
                path,
                Map.of("method", "user", "layers", List.of(Map.of("name", "a", "penalties", Map.of("int4", 1.0)))),
                400,
                "layers");
        rejected("/api/networks/999999999/profiles", Map.of("method", "user", "layers", List.of()), 404, null);
    }

    @Test
    void costTableWithNegativeOrInfiniteCostsIsRejected() {
        long net = network(unique("c"), List.of(layer("a", null)));
        long device = api.post("/api/devices", Map.of("name", unique("cpu"), "kind", "cpu"))
                .body()
                .get("id")
                .asLong();
        long before = rows();
        ApiClient.Response negative = api.put(
                "/api/devices/%d/cost-tables/%d".formatted(device, net),
                Map.of("layers", List.of(Map.of("name", "a", "costs", Map.of("int8", Map.of("latency", -2.0))))));
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.body().get("errors").get(0).get("field").asString())
                .isEqualTo("layers[0].costs.int8.latency");
        ApiClient.Response infinite = api.put(
                "/api/devices/%d/cost-tables/%d".formatted(device, net),
                "{\"layers\": [{\"name\": \"a\", \"costs\": {\"int8\": {\"latency\": 1, \"bytes\": 1e999}}}]}");
        assertThat(infinite.status()).isEqualTo(400);
        assertThat(infinite.body().get("errors").get(0).get("field").asString())
                .isEqualTo("layers[0].costs.int8.bytes");
        assertThat(rows()).isEqualTo(before);
        rejected("/api/devices", Map.of("name", unique("d"), "kind", "tpu"), 400, "kind");
    }

    @Test
    void searchWithUnknownReferencesOrTieWithoutCommonOptionIsRejected() {
        long net = network(unique("s"), List.of(layer("a", "t"), layer("b", "t")));
        long profile = api.post(
                        "/api/networks/" + net + "/profiles",
                        Map.of(
                                "method",
                                "user",
                                "layers",
                                List.of(
                                        Map.of("name", "a", "penalties", Map.of("int4", 2.0, "int8", 1.0)),
                                        Map.of("name", "b", "penalties", Map.of("fp8-e4m3", 1.0)))))
                .body()
                .get("id")
                .asLong();
        long device = api.post("/api/devices", Map.of("name", unique("cpu"), "kind", "cpu"))
                .body()
                .get("id")
                .asLong();
        assertThat(api.put(
                                "/api/devices/%d/cost-tables/%d".formatted(device, net),
                                Map.of(
                                        "layers",
                                        List.of(
                                                Map.of(
                                                        "name",
                                                        "a",
                                                        "costs",
                                                        Map.of(
                                                                "int4",
                                                                Map.of("latency", 1.0),
                                                                "int8",
                                                                Map.of("latency", 2.0))),
                                                Map.of(
                                                        "name",
                                                        "b",
                                                        "costs",
                                                        Map.of("fp8-e4m3", Map.of("latency", 1.0))))))
                        .status())
                .isEqualTo(200);
        rejected(
                "/api/searches",
                Map.of("networkId", 999999999, "profileId", profile, "deviceId", device),
                400,
                "networkId");
        rejected(
                "/api/searches",
                Map.of("networkId", net, "profileId", profile, "deviceId", 999999999),
                400,
                "deviceId");
        JsonNode tie = rejected(
                "/api/searches", Map.of("networkId", net, "profileId", profile, "deviceId", device), 400, "ties[0]");
        assertThat(tie.get("detail").asString()).contains("common");
        rejected(
                "/api/searches",
                Map.of("networkId", net, "profileId", profile, "deviceId", device, "budgets", Map.of("watts", 3)),
                400,
                "budgets.watts");
    }

    @Test
    void unknownResourcesAreNotFound() {
        assertThat(api.get("/api/networks/999999999").status()).isEqualTo(404);
        assertThat(api.get("/api/devices/999999999").status()).isEqualTo(404);
        assertThat(api.get("/api/searches/999999999").status()).isEqualTo(404);
        assertThat(api.get("/api/profiles/999999999").body().get("title").asString())
                .isEqualTo("Not found");
    }
}
