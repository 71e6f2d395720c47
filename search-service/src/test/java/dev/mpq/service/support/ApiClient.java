package dev.mpq.service.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the service's JSON API, as a user's script would call it. */
public final class ApiClient {

    private final String base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    public ApiClient(String base) {
        this(base, null);
    }

    private ApiClient(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The same client sending {@code Authorization: Bearer token} (a worker). */
    public ApiClient withToken(String bearer) {
        return new ApiClient(base, bearer);
    }

    public static ApiClient local(int port) {
        return new ApiClient("http://127.0.0.1:" + port);
    }

    /** A response: status, parsed body (or null) and the Location header. */
    public record Response(int status, JsonNode body, Optional<String> location, String contentType) {}

    public JsonMapper json() {
        return json;
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response post(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        body instanceof String s ? s : json.writeValueAsString(body))));
    }

    /** Posts a text body ({@code text/csv}). */
    public Response postText(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response put(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(
                        body instanceof String s ? s : json.writeValueAsString(body))));
    }

    private Response send(HttpRequest.Builder request) {
        try {
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response =
                    http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? null : parse(response.body());
            return new Response(
                    response.statusCode(),
                    body,
                    response.headers().firstValue("Location"),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (RuntimeException e) {
            return json.getNodeFactory().stringNode(body);
        }
    }

    /** Polls a search until it is DONE or FAILED. */
    public JsonNode awaitSearch(String location, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode search = get(location).body();
            String status = search.get("status").asString();
            if (status.equals("DONE") || status.equals("FAILED") || System.nanoTime() > end) {
                return search;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
