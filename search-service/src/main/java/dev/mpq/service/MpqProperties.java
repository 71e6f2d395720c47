package dev.mpq.service;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the service ({@code mpq.*}; environment: {@code MPQ_HOME}, {@code MPQ_DB_URL},
 * {@code MPQ_DB_USER}, {@code MPQ_DB_PASSWORD}).
 *
 * @param home where the embedded database and other state live (default {@code ~/.mpq})
 * @param db an external PostgreSQL; blank url = the embedded one under {@code home}
 * @param jobs the background job runner
 * @param workers device workers (the worker protocol)
 */
@ConfigurationProperties("mpq")
public record MpqProperties(Path home, Db db, Jobs jobs, Workers workers) {

    public MpqProperties {
        home = home == null ? Path.of(System.getProperty("user.home"), ".mpq") : home;
        db = db == null ? new Db(null, null, null) : db;
        jobs = jobs == null ? new Jobs(1, Duration.ofSeconds(30), Duration.ofMillis(500), 3) : jobs;
        workers = workers == null ? new Workers(Duration.ofSeconds(60)) : workers;
    }

    /** @param lease how long a worker holds a task without a heartbeat before another may take it */
    public record Workers(Duration lease) {}

    /** External database settings; all blank means the embedded database. */
    public record Db(String url, String user, String password) {
        public boolean external() {
            return url != null && !url.isBlank();
        }
    }

    /**
     * @param workers jobs run at once by this replica
     * @param lease how long a claim lasts without renewal; a crashed replica's job is claimable after it
     * @param poll how often an idle worker looks for work
     * @param maxAttempts claims after which a job that never finishes is marked failed
     */
    public record Jobs(int workers, Duration lease, Duration poll, int maxAttempts) {}
}
