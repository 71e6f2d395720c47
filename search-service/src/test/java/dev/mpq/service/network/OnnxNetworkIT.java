package dev.mpq.service.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.service.ServiceIT;
import dev.mpq.service.support.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A real transformer (all-MiniLM-L6-v2, ONNX) uploaded through the API: its 36 MatMul weights
 * become layers with shapes, MACs and Q/K/V tie groups; the file is kept byte for byte; a truncated
 * file is refused with the offset and stores nothing; a profile is computed from it as a job.
 */
class OnnxNetworkIT extends ServiceIT {

    private static byte[] miniLm() throws IOException {
        try (InputStream in = OnnxNetworkIT.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            assertThat(in)
                    .as("all-MiniLM-L6-v2 on the test classpath (Maven test dependency)")
                    .isNotNull();
            return in.readAllBytes();
        }
    }

    private ApiClient.Response upload(String query, byte[] content) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:%d/api/networks/onnx?%s".formatted(port, query)))
                                .header("Content-Type", "application/octet-stream")
                                .timeout(Duration.ofMinutes(2))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(content))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return new ApiClient.Response(
                response.statusCode(),
                api.json().readTree(response.body()),
                response.headers().firstValue("Location"),
                response.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void miniLmUploadGivesItsMatMulLayersKeepsTheFileAndComputesAProfile() throws Exception {
        byte[] model = miniLm();
        ApiClient.Response created = upload("name=" + unique("minilm") + "&fileName=all-minilm-l6-v2.onnx", model);
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        JsonNode network = created.body();
        JsonNode layers = network.get("layers");
        assertThat(layers.size()).isEqualTo(36);
        assertThat(layers.valueStream().map(l -> l.get("kind").asString()))
                .allMatch(k -> k.equals("matmul") || k.equals("linear"));
        assertThat(layers.valueStream().map(l -> l.get("shape").size())).allMatch(d -> d == 2);
        assertThat(network.get("ties").size())
                .as("Q/K/V of each of 6 blocks read the same input")
                .isGreaterThanOrEqualTo(6);
        long id = network.get("id").asLong();

        HttpResponse<byte[]> download = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:%d/api/networks/%d/model".formatted(port, id)))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(download.body())))
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(model)));

        ApiClient.Response submitted = api.post(
                "/api/networks/%d/profile-jobs".formatted(id),
                Map.of("method", "weight-error", "formats", List.of("int8", "int4-g128")));
        assertThat(submitted.status()).as("%s", submitted.body()).isEqualTo(202);
        JsonNode profile = awaitProfile(submitted);
        assertThat(profile.get("method").asString()).isEqualTo("weight-error");
        JsonNode first = profile.get("layers").get(0).get("penalties");
        assertThat(first.get("int4-g128").asDouble())
                .isGreaterThan(first.get("int8").asDouble())
                .isPositive();

        JsonNode gains = awaitProfile(api.post(
                "/api/networks/%d/profile-jobs".formatted(id),
                Map.of(
                        "method",
                        "activation-weighted",
                        "outputGains",
                        true,
                        "formats",
                        List.of("int8", "int4-g128"),
                        "samples",
                        2,
                        "sequenceLength",
                        8)));
        assertThat(gains.get("method").asString()).isEqualTo("activation-weighted");
        assertThat(gains.get("inputs").toString()).containsIgnoringCase("gain");
        assertThat(gains.get("layers").size()).isEqualTo(36);
        for (JsonNode layer : gains.get("layers")) {
            JsonNode penalties = layer.get("penalties");
            assertThat(penalties.get("int4-g128").asDouble())
                    .as("%s", layer)
                    .isGreaterThan(penalties.get("int8").asDouble())
                    .isPositive();
        }
    }

    private JsonNode awaitProfile(ApiClient.Response submitted) throws InterruptedException {
        assertThat(submitted.status()).as("%s", submitted.body()).isEqualTo(202);
        String location = submitted.location().orElseThrow();
        JsonNode job = api.get(location).body();
        long end = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!job.get("status").asString().equals("DONE")
                && !job.get("status").asString().equals("FAILED")) {
            assertThat(System.nanoTime()).isLessThan(end);
            Thread.sleep(250);
            job = api.get(location).body();
        }
        assertThat(job.get("status").asString()).as("%s", job).isEqualTo("DONE");
        return api.get("/api/profiles/" + job.get("profileId").asLong()).body();
    }

    @Test
    void truncatedOrEmptyFilesAreRefusedNamingTheFileAndNothingIsStored() throws Exception {
        byte[] model = miniLm();
        int before = api.get("/api/networks").body().size();
        ApiClient.Response truncated = upload("fileName=broken.onnx", Arrays.copyOf(model, 100_000));
        assertThat(truncated.status()).isEqualTo(400);
        assertThat(truncated.body().get("detail").asString()).contains("broken.onnx");
        assertThat(upload("fileName=empty.onnx", new byte[0]).status()).isEqualTo(400);
        assertThat(api.get("/api/networks").body().size()).isEqualTo(before);
        long plain = api.post(
                        "/api/networks",
                        Map.of(
                                "name",
                                unique("plain"),
                                "layers",
                                List.of(Map.of("name", "a", "kind", "linear", "shape", List.of(4, 4)))))
                .body()
                .get("id")
                .asLong();
        ApiClient.Response noWeights =
                api.post("/api/networks/%d/profile-jobs".formatted(plain), Map.of("method", "weight-error"));
        assertThat(noWeights.status()).isEqualTo(400);
        assertThat(noWeights.body().get("detail").asString()).contains("no weights file");
        assertThat(api.post("/api/networks/%d/profile-jobs".formatted(plain), Map.of("method", "magic"))
                        .status())
                .isEqualTo(400);
        ApiClient.Response misplacedGains = api.post(
                "/api/networks/%d/profile-jobs".formatted(plain),
                Map.of("method", "weight-error", "outputGains", true));
        assertThat(misplacedGains.status()).isEqualTo(400);
        assertThat(misplacedGains.body().get("errors").get(0).get("field").asString())
                .isEqualTo("outputGains");
    }
}
