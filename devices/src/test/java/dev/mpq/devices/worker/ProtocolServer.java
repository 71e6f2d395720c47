package dev.mpq.devices.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A small in-process server that speaks the worker protocol's endpoints with scripted answers: per
 * endpoint a queue of answers (status and body), then a default. It records every request, so tests
 * read what the worker sent.
 */
final class ProtocolServer implements AutoCloseable {

    /** One request as received. */
    record Request(String method, String path, String endpoint, String authorization, String body) {}

    /** A scripted answer. */
    record Answer(int status, String body, Runnable before) {
        static Answer of(int status, String body) {
            return new Answer(status, body, () -> {});
        }
    }

    static final String HELLO = "hello";
    static final String LEASE = "lease";
    static final String HEARTBEAT = "heartbeat";
    static final String MEASUREMENTS = "measurements";
    static final String VALIDATION = "validation";
    static final String MODEL = "model";

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Deque<Answer>> scripts = new HashMap<>();
    private final Map<String, Supplier<Answer>> defaults = new HashMap<>();

    private ProtocolServer(HttpServer server) {
        this.server = server;
        defaults.put(HELLO, () -> Answer.of(200, "{\"workerId\": 7, \"deviceId\": 3, \"name\": \"w\"}"));
        defaults.put(LEASE, () -> Answer.of(204, ""));
        defaults.put(HEARTBEAT, () -> Answer.of(200, "{\"leaseSeconds\": 60}"));
        defaults.put(
                MEASUREMENTS,
                () -> Answer.of(200, "{\"accepted\": 1, \"duplicates\": 0, \"remaining\": 0, \"status\": \"LEASED\"}"));
        defaults.put(VALIDATION, () -> Answer.of(200, "{\"status\": \"DONE\"}"));
        defaults.put(MODEL, () -> Answer.of(404, "{\"detail\": \"no model\"}"));
        server.createContext("/", this::handle);
    }

    /** A server on a free loopback port. */
    static ProtocolServer start() throws IOException {
        return start(0);
    }

    /** A server on {@code port} (0 = any free one). */
    static ProtocolServer start(int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        ProtocolServer s = new ProtocolServer(http);
        http.start();
        return s;
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Queues answers for an endpoint, given in order. */
    synchronized ProtocolServer script(String endpoint, Answer... answers) {
        Deque<Answer> queue = scripts.computeIfAbsent(endpoint, k -> new ArrayDeque<>());
        for (Answer a : answers) {
            queue.add(a);
        }
        return this;
    }

    /** The answer when an endpoint's script is used up. */
    synchronized ProtocolServer otherwise(String endpoint, Supplier<Answer> answer) {
        defaults.put(endpoint, answer);
        return this;
    }

    synchronized List<Request> requests(String endpoint) {
        return requests.stream().filter(r -> r.endpoint().equals(endpoint)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String endpoint = endpoint(path);
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Answer answer;
        synchronized (this) {
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    path,
                    endpoint,
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    body));
            Deque<Answer> queue = scripts.get(endpoint);
            answer = queue != null && !queue.isEmpty()
                    ? queue.poll()
                    : defaults.getOrDefault(endpoint, () -> Answer.of(404, "{}"))
                            .get();
        }
        answer.before().run();
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (answer.status() == 204 || bytes.length == 0) {
            exchange.sendResponseHeaders(answer.status(), -1);
        } else {
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    private static String endpoint(String path) {
        if (path.equals("/api/worker/hello")) {
            return HELLO;
        }
        if (path.equals("/api/worker/lease")) {
            return LEASE;
        }
        if (path.startsWith("/api/worker/networks/") && path.endsWith("/model")) {
            return MODEL;
        }
        if (path.startsWith("/api/worker/tasks/")) {
            return path.substring(path.lastIndexOf('/') + 1);
        }
        return path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
