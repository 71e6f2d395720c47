package dev.mpq.service.cli;

import dev.mpq.service.MpqApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mpq serve}: the REST API and dashboard, on the embedded or an external PostgreSQL. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run the service: REST API under /api, dashboard at /, health at /actuator/health.",
            "Database: embedded PostgreSQL under $MPQ_HOME (default ~/.mpq) unless MPQ_DB_URL,",
            "MPQ_DB_USER and MPQ_DB_PASSWORD name an external one."
        })
public final class ServeCommand implements Callable<Integer> {

    private static volatile boolean serving;

    @Option(
            names = "--port",
            paramLabel = "P",
            defaultValue = "8080",
            description = "HTTP port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--host",
            paramLabel = "H",
            defaultValue = "127.0.0.1",
            description = "Address to bind (default ${DEFAULT-VALUE}).")
    String host;

    /** True once the service has started: the process then lives until it is stopped. */
    public static boolean serving() {
        return serving;
    }

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new InputException("--port %d is not a TCP port; use 0..65535.".formatted(port));
        }
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + port);
        args.add("--server.address=" + host);
        MpqApplication.start(args.toArray(String[]::new));
        serving = true;
        return 0;
    }
}
