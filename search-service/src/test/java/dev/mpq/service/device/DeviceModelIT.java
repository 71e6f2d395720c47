package dev.mpq.service.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.service.ServiceIT;
import dev.mpq.service.support.ApiClient;
import dev.mpq.service.support.HawqData;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Devices with a cost model: registered from the catalogue, told which formats they run, given the
 * AutoTVM T4 log of the HAWQ data as a measured table, calibrated with a held-out accuracy, and
 * searched without any user cost table.
 */
class DeviceModelIT extends ServiceIT {

    @Test
    void catalogueListsTheBuiltInDevices() {
        JsonNode catalogue = api.get("/api/devices/catalogue").body();
        assertThat(catalogue.valueStream().map(d -> d.get("id").asString()))
                .contains("t4", "a100-80gb", "h100-sxm", "l4", "rtx-4090", "b200", "xeon-8480", "apple-m2", "avx2-cpu");
    }

    @Test
    void unknownCatalogueEntryOrBadOverrideIsRejected() {
        ApiClient.Response unknown = api.post("/api/devices", Map.of("name", unique("x"), "catalogue", "tpu-v9"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().get("errors").get(0).get("field").asString()).isEqualTo("catalogue");
        ApiClient.Response negative = api.post(
                "/api/devices",
                Map.of(
                        "name",
                        unique("x"),
                        "catalogue",
                        "t4",
                        "overrides",
                        Map.of("memoryBandwidthBytesPerSecond", -1)));
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.body().get("errors").get(0).get("field").asString()).isEqualTo("overrides");
    }

    @Test
    void t4FromTheCatalogueCalibratedOnTheAutoTvmLogCostsASearchWithMeasuredLatencies() throws IOException {
        ApiClient.Response created = api.post("/api/devices", Map.of("name", unique("t4"), "catalogue", "t4"));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        long device = created.body().get("id").asLong();
        assertThat(created.body().get("kind").asString()).isEqualTo("gpu");
        assertThat(created.body().get("model").get("basis").asString()).contains("uncalibrated");

        JsonNode formats = api.get("/api/devices/%d/formats".formatted(device)).body();
        assertThat(formats.valueStream().map(f -> f.get("support").asString().toLowerCase()))
                .as("the T4 runs some formats natively (INT8/INT4 tensor cores), others only by dequantizing")
                .contains("native", "dequantize");

        String log = Files.readString(HawqData.dataDirectory().resolve("hawq/tvm_t4_kernel_latency_batch8.csv"));
        ApiClient.Response bad = api.postText(
                "/api/devices/%d/measured-table?format=tvm&name=broken.csv".formatted(device),
                "nonsense,header\n1,2\n");
        assertThat(bad.status()).isEqualTo(400);
        ApiClient.Response imported = api.postText(
                "/api/devices/%d/measured-table?format=tvm&name=tvm_t4_kernel_latency_batch8.csv".formatted(device),
                log);
        assertThat(imported.status()).as("%s", imported.body()).isEqualTo(200);
        assertThat(imported.body().get("points").asInt()).isGreaterThanOrEqualTo(70);
        JsonNode accuracy = imported.body().get("accuracy");
        assertThat(accuracy.get("heldOutPoints").asInt()).isPositive();
        assertThat(accuracy.get("mape").asDouble()).isBetween(0.0, 1.0);
        JsonNode model = api.get("/api/devices/" + device).body().get("model");
        assertThat(model.get("accuracy").get("spearman").asDouble()).isBetween(-1.0, 1.0);
        assertThat(model.get("basis").asString()).contains("calibrated");

        HawqData hawq = HawqData.load("resnet18");
        Map<String, Object> request = hawq.networkRequest(unique("resnet18"));
        long network =
                api.post("/api/networks", withShapes(request)).body().get("id").asLong();
        long profile = api.post("/api/networks/" + network + "/profiles", hawq.profileRequest())
                .body()
                .get("id")
                .asLong();
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
                                8,
                                "front",
                                List.of("latency")))
                .location()
                .orElseThrow();
        JsonNode search = api.awaitSearch(location, Duration.ofSeconds(60));
        assertThat(search.get("status").asString()).as("%s", search).isEqualTo("DONE");
        JsonNode result = search.get("result");
        assertThat(result.get("status").asString()).isEqualTo("OPTIMAL");
        assertThat(result.get("points").size()).isGreaterThan(1);
        List<String> sources = new ArrayList<>();
        result.get("costs")
                .get("sources")
                .valueStream()
                .forEach(layer -> layer.valueStream().forEach(s -> sources.add(s.asString())));
        assertThat(sources).contains("measured");
        assertThat(result.get("costs").get("basis").asString()).contains("measured table");
    }

    /**
     * The HAWQ ResNet18 layers with the weight shapes of the AutoTVM kernels ([out, in, kh, kw]),
     * so the measured table applies to them.
     */
    private static Map<String, Object> withShapes(Map<String, Object> request) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> layers = (List<Map<String, Object>>) request.get("layers");
        List<Map<String, Object>> shaped = new ArrayList<>();
        for (Map<String, Object> layer : layers) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>(layer);
            long params = ((Number) layer.get("parameters")).longValue();
            copy.put("shape", convShape(params));
            shaped.add(copy);
        }
        return Map.of("name", request.get("name"), "layers", shaped);
    }

    /** ResNet18's conv weight shapes by parameter count (3x3 convs, and the 1x1 downsample convs). */
    private static List<Long> convShape(long params) {
        for (long out : new long[] {64, 128, 256, 512}) {
            for (long in : new long[] {64, 128, 256, 512}) {
                if (out * in * 9 == params && (out == in || out == 2 * in)) {
                    return List.of(out, in, 3L, 3L);
                }
                if (out * in == params && out == 2 * in) {
                    return List.of(out, in, 1L, 1L);
                }
            }
        }
        throw new IllegalArgumentException("no ResNet18 conv has " + params + " parameters");
    }
}
