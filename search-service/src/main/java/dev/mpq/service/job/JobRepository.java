package dev.mpq.service.job;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The SQL of the job queue. Claims use {@code FOR UPDATE SKIP LOCKED}, so replicas never block on
 * each other's rows, and a lease: a RUNNING job whose lease has expired is claimable again. Every
 * write of a running job checks that the writer still holds the lease.
 */
@Repository
public class JobRepository {

    private final JdbcClient jdbc;

    JobRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A job this replica has claimed. */
    record Claimed(long id, String kind, int attempts) {}

    /** A job's state as the API shows it. */
    public record JobState(
            long id,
            String kind,
            String status,
            int attempts,
            Double progress,
            String error,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt) {}

    /** Queues a job and returns its id (inside the caller's transaction). */
    public long enqueue(String kind) {
        return jdbc.sql("INSERT INTO job (kind) VALUES (:kind) RETURNING id")
                .param("kind", kind)
                .query(Long.class)
                .single();
    }

    Optional<Claimed> claim(String owner, Duration lease) {
        return jdbc.sql("""
                        UPDATE job SET status = 'RUNNING', attempts = attempts + 1, lease_owner = :owner,
                               lease_until = now() + make_interval(secs => :lease),
                               started_at = coalesce(started_at, now()), progress = NULL
                        WHERE id = (
                            SELECT id FROM job
                            WHERE status = 'QUEUED' OR (status = 'RUNNING' AND lease_until < now())
                            ORDER BY id
                            LIMIT 1
                            FOR UPDATE SKIP LOCKED)
                        RETURNING id, kind, attempts
                        """)
                .param("owner", owner)
                .param("lease", (double) lease.toMillis() / 1000)
                .query((rs, n) -> new Claimed(rs.getLong(1), rs.getString(2), rs.getInt(3)))
                .optional();
    }

    /** Extends the leases of every job this replica runs. */
    int renew(String owner, Duration lease) {
        return jdbc.sql("""
                        UPDATE job SET lease_until = now() + make_interval(secs => :lease)
                        WHERE status = 'RUNNING' AND lease_owner = :owner
                        """)
                .param("owner", owner)
                .param("lease", (double) lease.toMillis() / 1000)
                .update();
    }

    void progress(long id, String owner, double fraction) {
        jdbc.sql("UPDATE job SET progress = :p WHERE id = :id AND lease_owner = :owner AND status = 'RUNNING'")
                .param("p", fraction)
                .param("id", id)
                .param("owner", owner)
                .update();
    }

    /** Marks a job done if this replica still holds it; false otherwise. */
    boolean complete(long id, String owner) {
        return jdbc.sql("""
                                UPDATE job SET status = 'DONE', progress = 1, finished_at = now(),
                                       lease_owner = NULL, lease_until = NULL
                                WHERE id = :id AND lease_owner = :owner AND status = 'RUNNING'
                                """).param("id", id).param("owner", owner).update() == 1;
    }

    /** Marks a job failed (a deterministic error: retrying would fail the same way). */
    boolean fail(long id, String owner, String error) {
        return jdbc.sql("""
                                UPDATE job SET status = 'FAILED', error = :error, finished_at = now(),
                                       lease_owner = NULL, lease_until = NULL
                                WHERE id = :id AND lease_owner = :owner AND status = 'RUNNING'
                                """)
                        .param("id", id)
                        .param("owner", owner)
                        .param("error", error)
                        .update()
                == 1;
    }

    /** Puts this replica's running jobs back in the queue (at shutdown): they run again elsewhere or later. */
    int release(String owner) {
        return jdbc.sql("""
                        UPDATE job SET status = 'QUEUED', lease_owner = NULL, lease_until = NULL,
                               attempts = greatest(attempts - 1, 0)
                        WHERE status = 'RUNNING' AND lease_owner = :owner
                        """).param("owner", owner).update();
    }

    /**
     * Puts every running job back in the queue. Only safe when no other replica can exist, as with
     * the embedded database, which one process owns.
     */
    int releaseAll() {
        return jdbc.sql("""
                        UPDATE job SET status = 'QUEUED', lease_owner = NULL, lease_until = NULL
                        WHERE status = 'RUNNING'
                        """).update();
    }

    public Optional<JobState> find(long id) {
        return jdbc.sql("""
                        SELECT id, kind, status, attempts, progress, error, created_at, started_at, finished_at
                        FROM job WHERE id = :id
                        """)
                .param("id", id)
                .query((rs, n) -> new JobState(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getInt(4),
                        (Double) rs.getObject(5),
                        rs.getString(6),
                        instant(rs.getObject(7, OffsetDateTime.class)),
                        instant(rs.getObject(8, OffsetDateTime.class)),
                        instant(rs.getObject(9, OffsetDateTime.class))))
                .optional();
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
