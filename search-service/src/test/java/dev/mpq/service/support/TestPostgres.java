package dev.mpq.service.support;

import dev.mpq.service.db.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL of the integration tests: a Testcontainers container where a Docker engine
 * runs, the embedded server (the one {@code ./mpq serve} uses) otherwise. One server per test JVM.
 */
public final class TestPostgres {

    /** How to reach the server. */
    public record Connection(String url, String user, String password, String kind) {}

    private static Connection connection;

    private TestPostgres() {}

    public static synchronized Connection get() {
        if (connection == null) {
            connection = dockerAvailable() ? container() : embedded();
        }
        return connection;
    }

    /** Points the service at the test server (for {@code @DynamicPropertySource}). */
    public static void register(DynamicPropertyRegistry registry) {
        Connection c = get();
        registry.add("mpq.db.url", c::url);
        registry.add("mpq.db.user", c::user);
        registry.add("mpq.db.password", c::password);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // lives as long as the test JVM; Testcontainers' reaper removes it
    private static Connection container() {
        PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine");
        postgres.start();
        return new Connection(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword(), "testcontainers");
    }

    private static Connection embedded() {
        try {
            Path home = Files.createTempDirectory("mpq-it-");
            // the embedded server registers its own shutdown hook
            EmbeddedDatabase database = EmbeddedDatabase.start(home);
            return new Connection(database.jdbcUrl(), database.user(), "", "embedded");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
