package dev.mpq.devices.worker;

import dev.mpq.core.worker.MeasurementReport;
import dev.mpq.core.worker.TaskLease;
import dev.mpq.core.worker.ValidationReport;
import dev.mpq.core.worker.WorkerHello;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker's side of the protocol over HTTP (devices/PROTOCOL.md): JSON bodies, the bearer token
 * on every call, and retries with exponential backoff on connection errors and 5xx answers, for as
 * long as the worker is not stopping, so the worker rides out a server restart. A retried call sends
 * the very same body (same lease token, same measurements): the server counts it once.
 *
 * <p>Answers that are not retried: {@code 401} ({@link Unauthorized}: the token is unknown),
 * {@code 409} ({@link LeaseLost}: drop the task and lease again), other {@code 4xx} ({@link Refused},
 * with the server's problem detail).
 */
public final class WorkerClient {

    /** The lease on a task is no longer this worker's (409). */
    public static final class LeaseLost extends RuntimeException {
        LeaseLost(String message) {
            super(message);
        }
    }

    /** The server does not know the token (401). */
    public static final class Unauthorized extends RuntimeException {
        Unauthorized(String message) {
            super(message);
        }
    }

    /** The server refused a call for another reason (4xx other than 401 and 409). */
    public static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** The worker is stopping: a call that was waiting to be retried gives up. */
    public static final class Stopped extends RuntimeException {
        Stopped(String message) {
            super(message);
        }
    }

    /** The answer to hello. */
    public record Hello(long workerId, long deviceId, String name) {}

    /** The answer to a measurement report. */
    public record ReportAck(int accepted, int duplicates, int remaining, String status) {}

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(30);

    private final URI server;
    private final String token;
    private final Backoff backoff;
    private final WorkerLog log;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    public WorkerClient(URI server, String token, Backoff backoff, WorkerLog log) {
        if (server == null || server.getScheme() == null || server.getHost() == null) {
            throw new IllegalArgumentException(
                    "Server URL '%s' is not absolute; give e.g. http://127.0.0.1:8080.".formatted(server));
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(
                    "No worker token; add a worker to the device (POST /api/devices/{id}/workers) and pass its token.");
        }
        this.server = server;
        this.token = token.trim();
        this.backoff = backoff;
        this.log = log;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public URI server() {
        return server;
    }

    public JsonMapper json() {
        return json;
    }

    public Hello hello(WorkerHello hello, Pause pause) {
        return json.readValue(post("hello", "/api/worker/hello", hello, pause).body(), Hello.class);
    }

    /** The next task of the worker's device, or empty (204) when there is nothing to do. */
    public Optional<TaskLease> lease(Pause pause) {
        HttpResponse<String> r = post("lease", "/api/worker/lease", null, pause);
        if (r.statusCode() == 204 || r.body().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(json.readValue(r.body(), TaskLease.class));
    }

    /** Renews a lease; false when the lease is no longer this worker's (409). */
    public boolean heartbeat(long taskId, String leaseToken, Pause pause) {
        try {
            post(
                    "heartbeat of task " + taskId,
                    "/api/worker/tasks/%d/heartbeat".formatted(taskId),
                    java.util.Map.of("leaseToken", leaseToken),
                    pause);
            return true;
        } catch (LeaseLost e) {
            return false;
        }
    }

    public ReportAck report(long taskId, MeasurementReport report, Pause pause) {
        HttpResponse<String> r = post(
                "measurements of task " + taskId, "/api/worker/tasks/%d/measurements".formatted(taskId), report, pause);
        return json.readValue(r.body(), ReportAck.class);
    }

    /** Posts a validation report; returns the task's status ({@code DONE}). */
    public String report(long taskId, ValidationReport report, Pause pause) {
        HttpResponse<String> r = post(
                "validation of task " + taskId, "/api/worker/tasks/%d/validation".formatted(taskId), report, pause);
        JsonNode status = json.readTree(r.body()).get("status");
        return status == null ? "" : status.asString();
    }

    /** Downloads {@code url} (relative to the server) into {@code target}, replacing it. */
    public void download(String url, Path target, Pause pause) {
        URI uri = server.resolve(url);
        HttpResponse<Path> r = send(
                "download of " + url,
                () -> authorized(HttpRequest.newBuilder(uri))
                        .timeout(DOWNLOAD_TIMEOUT)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofFile(
                        target,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING),
                pause);
        if (r.statusCode() != 200) {
            throw refusal(r.statusCode(), "GET " + url, "");
        }
    }

    private HttpResponse<String> post(String what, String path, Object body, Pause pause) {
        String text = body == null ? "{}" : json.writeValueAsString(body);
        URI uri = server.resolve(path);
        HttpResponse<String> r = send(
                what,
                () -> authorized(HttpRequest.newBuilder(uri))
                        .timeout(REQUEST_TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(text))
                        .build(),
                HttpResponse.BodyHandlers.ofString(),
                pause);
        if (r.statusCode() >= 300) {
            throw refusal(r.statusCode(), "POST " + path, r.body());
        }
        return r;
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    /** Sends until an answer that is neither a connection error nor a 5xx/429 comes back. */
    private <T> HttpResponse<T> send(
            String what, Supplier<HttpRequest> request, HttpResponse.BodyHandler<T> handler, Pause pause) {
        for (int attempt = 0; ; attempt++) {
            String problem;
            try {
                HttpResponse<T> r = http.send(request.get(), handler);
                int status = r.statusCode();
                if (status == 401) {
                    throw new Unauthorized(
                            "The server at %s refused the worker token (401); add a worker to the device for a new token."
                                    .formatted(server));
                }
                if (status < 500 && status != 429) {
                    return r;
                }
                problem = "HTTP " + status;
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stopped(what + ": interrupted");
            }
            Duration delay = backoff.delay(attempt);
            log.info("%s failed (%s); retrying in %d s", what, problem, delay.toSeconds());
            if (!pause.pause(delay)) {
                throw new Stopped(what + ": stopping, not retried");
            }
        }
    }

    private RuntimeException refusal(int status, String call, String body) {
        String detail = body;
        try {
            JsonNode problem = json.readTree(body);
            if (problem != null && problem.has("detail")) {
                detail = problem.get("detail").asString();
            }
        } catch (JacksonException e) {
            // not a problem document: keep the body as it is
        }
        String message = "%s: HTTP %d %s".formatted(call, status, detail == null ? "" : detail.strip());
        return status == 409 ? new LeaseLost(message) : new Refused(status, message);
    }
}
