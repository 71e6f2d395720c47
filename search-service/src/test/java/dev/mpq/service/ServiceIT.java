package dev.mpq.service;

import dev.mpq.service.support.ApiClient;
import dev.mpq.service.support.TestPostgres;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The running service on a real PostgreSQL (see {@link TestPostgres}), reached over HTTP as a user
 * would. Integration test classes extend it and share one application context and database, so
 * they name what they create with {@link #unique}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ServiceIT {

    @LocalServerPort
    protected int port;

    protected ApiClient api;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry);
        registry.add("mpq.jobs.poll", () -> "100ms");
        registry.add("mpq.jobs.workers", () -> "2");
        registry.add("mpq.workers.lease", () -> "2s");
    }

    @BeforeEach
    void client() {
        api = ApiClient.local(port);
    }

    /** A name no other test uses. */
    protected static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
