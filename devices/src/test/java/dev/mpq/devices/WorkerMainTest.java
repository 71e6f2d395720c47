package dev.mpq.devices;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WorkerMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return WorkerMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void noArgumentsIsInvalidUsageWithTheUsageOnStderr() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bench kernels");
    }

    @Test
    void helpPrintsTheUsageAndSucceeds() {
        assertThat(run("--help")).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("bench kernels [--json FILE]");
    }

    @Test
    void unknownCommandsAndOptionsAreInvalidUsage() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(run("bench", "solver")).isEqualTo(2);
        assertThat(run("bench", "kernels", "--fast")).isEqualTo(2);
        assertThat(run("bench", "kernels", "--json")).isEqualTo(2);
        assertThat(run("bench", "kernels", "--trials", "zero")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option '--fast'");
    }

    @Test
    void workerWithoutServerOrTokenIsInvalidUsageNamingTheOption() {
        assertThat(run("worker", "--token", "t")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--server URL is required");
        assertThat(run("worker", "--help")).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("worker --server URL --token TOKEN");
    }

    @Test
    void workerWhoseTokenTheServerRefusesExitsWithTwoAndSaysSo() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"detail\": \"Unknown worker token\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            int code = run(
                    "worker",
                    "--server",
                    "http://127.0.0.1:" + server.getAddress().getPort(),
                    "--token",
                    "mpqw_forged",
                    "--skip-bandwidth",
                    "--threads",
                    "1");
            assertThat(code).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("refused the worker token");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aJsonFileInAMissingDirectoryIsInvalidUsage() {
        assertThat(run("bench", "kernels", "--json", "/no/such/dir/out.json")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("/no/such/dir");
    }
}
