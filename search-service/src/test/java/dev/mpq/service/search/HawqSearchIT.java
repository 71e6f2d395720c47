package dev.mpq.service.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mpq.service.ServiceIT;
import dev.mpq.service.support.ApiClient;
import dev.mpq.service.support.HawqData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The acceptance case of the foundation: HAWQ-V3's published ILP, end to end through the REST API.
 * For ResNet18 and ResNet50, size, BOPs and latency budgets at r = 0.25, 0.5, 0.75 of the way from
 * all-INT4 to all-INT8, the optimum equals the published configuration, except ResNet50 size 0.25
 * where it is strictly better than the published (feasible, sub-optimal) one. Ties hold.
 */
class HawqSearchIT extends ServiceIT {

    private static final Map<String, String> SCHEME =
            Map.of("bytes", "modelsize", "bops", "bops", "latency", "latency");

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet50"})
    void optimumEqualsThePublishedConfigurationExceptResnet50Size025(String model) {
        HawqData hawq = HawqData.load(model);
        long network = create("/api/networks", hawq.networkRequest(unique(model)));
        long profile = create("/api/networks/" + network + "/profiles", hawq.profileRequest());
        long device = create(
                "/api/devices", Map.of("name", unique("nvidia-t4"), "kind", "gpu", "spec", Map.of("catalogue", "T4")));
        assertThat(api.put("/api/devices/%d/cost-tables/%d".formatted(device, network), hawq.costTableRequest())
                        .status())
                .isEqualTo(200);

        int n = hawq.layers().size();
        int[] all4 = new int[n];
        int[] all8 = new int[n];
        Arrays.fill(all4, 4);
        Arrays.fill(all8, 8);
        List<String> cases = new ArrayList<>();
        List<String> locations = new ArrayList<>();
        for (String metric : List.of("bytes", "bops", "latency")) {
            for (String ratio : List.of("0.25", "0.5", "0.75")) {
                double low = hawq.total(all4, metric);
                double budget = low + Double.parseDouble(ratio) * (hawq.total(all8, metric) - low);
                Map<String, Object> request = new LinkedHashMap<>();
                request.put("networkId", network);
                request.put("profileId", profile);
                request.put("deviceId", device);
                request.put("budgets", Map.of(metric, budget));
                ApiClient.Response submitted = api.post("/api/searches", request);
                assertThat(submitted.status()).as("%s", submitted.body()).isEqualTo(202);
                assertThat(submitted.location()).isPresent();
                cases.add(metric + " " + ratio);
                locations.add(submitted.location().get());
            }
        }
        for (int c = 0; c < cases.size(); c++) {
            String metric = cases.get(c).split(" ")[0];
            String ratio = cases.get(c).split(" ")[1];
            JsonNode search = api.awaitSearch(locations.get(c), Duration.ofSeconds(120));
            assertThat(search.get("status").asString())
                    .as("%s: %s", cases.get(c), search)
                    .isEqualTo("DONE");
            JsonNode result = search.get("result");
            assertThat(result.get("status").asString()).isEqualTo("OPTIMAL");
            JsonNode point = result.get("points").get(0);
            assertThat(point.get("gap").asDouble()).isZero();
            int[] chosen = new int[n];
            for (int i = 0; i < n; i++) {
                String precision =
                        point.get("choices").get(hawq.layers().get(i).name()).asString();
                chosen[i] = precision.equals(HawqData.INT4) ? 4 : 8;
            }
            assertTiesHold(hawq, chosen);
            int[] published = hawq.published(SCHEME.get(metric) + "_" + ratio);
            double budget = search.get("request").get("budgets").get(metric).asDouble();
            assertThat(hawq.total(published, metric))
                    .as("published %s %s is feasible", model, cases.get(c))
                    .isLessThanOrEqualTo(budget);
            assertThat(hawq.total(chosen, metric)).isLessThanOrEqualTo(budget * (1 + 1e-12));
            assertThat(point.get("metrics").get("penalty").asDouble())
                    .isCloseTo(hawq.total(chosen, "penalty"), within(1e-9));
            if (model.equals("resnet50") && cases.get(c).equals("bytes 0.25")) {
                assertThat(hawq.total(chosen, "penalty"))
                        .as("strictly better than the published ResNet50 size-0.25 configuration")
                        .isLessThan(hawq.total(published, "penalty"));
            } else {
                assertThat(chosen).as("%s %s", model, cases.get(c)).containsExactly(published);
            }
        }
    }

    private static void assertTiesHold(HawqData hawq, int[] bits) {
        Map<String, Integer> byTie = new LinkedHashMap<>();
        for (int i = 0; i < bits.length; i++) {
            String tie = hawq.layers().get(i).tie();
            if (!tie.isEmpty()) {
                Integer previous = byTie.putIfAbsent(tie, bits[i]);
                assertThat(previous == null || previous == bits[i])
                        .as("tie %s holds", tie)
                        .isTrue();
            }
        }
    }

    private long create(String path, Object body) {
        ApiClient.Response response = api.post(path, body);
        assertThat(response.status()).as("%s: %s", path, response.body()).isEqualTo(201);
        return response.body().get("id").asLong();
    }
}
