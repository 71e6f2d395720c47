package dev.mpq.service.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of the default run: data under {@code $MPQ_HOME/postgres}, kept across
 * restarts, durable ({@code fsync=on}, {@code synchronous_commit=on}, {@code full_page_writes=on}).
 * A server left running by a killed process is detected through its {@code postmaster.pid} and
 * stopped (fast shutdown) before the new one starts; PostgreSQL's own crash recovery then replays
 * its log.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /** Starts (creating on first use) the database under {@code home}. */
    public static EmbeddedDatabase start(Path home) {
        Path data = home.resolve("postgres").toAbsolutePath();
        try {
            Files.createDirectories(home);
            stopLeftOverServer(data);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(
                            home.resolve("postgres-binaries").toFile())
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "100")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(
                            home.resolve("postgres.log").toFile()))
                    .setPGStartupWait(Duration.ofSeconds(120))
                    .start();
            log.info("Embedded PostgreSQL on port {} with data in {}", postgres.getPort(), data);
            return new EmbeddedDatabase(postgres, data);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Could not start the embedded PostgreSQL in " + data + "; see " + home.resolve("postgres.log")
                            + " (or set MPQ_DB_URL for an external database)",
                    e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public String user() {
        return "postgres";
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    /**
     * A {@code postmaster.pid} whose process still runs a PostgreSQL on this data directory means an
     * earlier service was killed without stopping its server: stop that server (SIGINT, PostgreSQL's
     * fast shutdown) and wait for it to exit.
     */
    static void stopLeftOverServer(Path data) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || !lines.get(0).trim().matches("\\d+")) {
            return;
        }
        long pid = Long.parseLong(lines.get(0).trim());
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty() || !isPostgres(process.get())) {
            return; // a stale pid file: PostgreSQL checks and removes it itself
        }
        log.warn("Stopping the PostgreSQL server (pid {}) left running on {} by an earlier process", pid, data);
        new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start();
        try {
            process.get().onExit().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "The PostgreSQL server (pid %d) left running on %s did not stop within %d s; stop it by hand."
                            .formatted(pid, data, STOP_WAIT.toSeconds()),
                    e);
        }
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(c -> c.endsWith("postgres")).orElse(true);
    }
}
