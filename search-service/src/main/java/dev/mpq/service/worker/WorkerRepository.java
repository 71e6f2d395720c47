package dev.mpq.service.worker;

import dev.mpq.core.worker.Measurement;
import dev.mpq.core.worker.ProfileItem;
import java.sql.Array;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The SQL of workers, their tasks and the measurements they report. */
@Repository
public class WorkerRepository {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    WorkerRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A worker as the API shows it (never its token). */
    public record WorkerView(
            long id,
            long deviceId,
            String name,
            String version,
            Map<String, Object> probe,
            Instant createdAt,
            Instant lastSeenAt) {}

    /** A task row. */
    public record TaskRow(
            long id,
            long deviceId,
            String kind,
            long networkId,
            Long searchId,
            Integer pointIndex,
            String specJson,
            String status,
            int attempts,
            String leaseToken,
            Instant leaseUntil,
            String resultJson,
            String error,
            Instant createdAt,
            Instant finishedAt) {}

    /** A measured latency as stored. */
    public record MeasurementRow(
            long taskId,
            String itemKey,
            String runtime,
            String layerKind,
            List<Long> shape,
            long macs,
            String precision,
            int batch,
            double seconds,
            double spread,
            int runs,
            int threads,
            String environment,
            Instant measuredAt) {}

    long insertWorker(long deviceId, String name, String tokenSha256) {
        return jdbc.sql(
                        "INSERT INTO worker (device_id, name, token_sha256) VALUES (:device, :name, :token) RETURNING id")
                .param("device", deviceId)
                .param("name", name)
                .param("token", tokenSha256)
                .query(Long.class)
                .single();
    }

    boolean workerNameTaken(long deviceId, String name) {
        return jdbc.sql("SELECT count(*) FROM worker WHERE device_id = :device AND name = :name")
                        .param("device", deviceId)
                        .param("name", name)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** The worker with this token hash; marks it seen. */
    Optional<AuthenticatedWorker> authenticate(String tokenSha256) {
        return jdbc.sql("""
                        UPDATE worker SET last_seen_at = now() WHERE token_sha256 = :token
                        RETURNING id, device_id, name
                        """)
                .param("token", tokenSha256)
                .query((rs, n) -> new AuthenticatedWorker(rs.getLong(1), rs.getLong(2), rs.getString(3)))
                .optional();
    }

    void hello(long workerId, String version, Object probe) {
        jdbc.sql("UPDATE worker SET version = :version, probe = :probe::jsonb, last_seen_at = now() WHERE id = :id")
                .param("version", version)
                .param("probe", json.writeValueAsString(probe))
                .param("id", workerId)
                .update();
    }

    public List<WorkerView> workers(long deviceId) {
        return jdbc.sql("""
                        SELECT id, device_id, name, version, probe::text, created_at, last_seen_at
                        FROM worker WHERE device_id = :device ORDER BY id
                        """)
                .param("device", deviceId)
                .query((rs, n) -> new WorkerView(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5) == null ? null : json.readValue(rs.getString(5), OBJECT),
                        instant(rs.getObject(6, OffsetDateTime.class)),
                        instant(rs.getObject(7, OffsetDateTime.class))))
                .list();
    }

    long insertTask(long deviceId, String kind, long networkId, Long searchId, Integer pointIndex, Object spec) {
        return jdbc.sql("""
                        INSERT INTO worker_task (device_id, kind, network_id, search_id, point_index, spec)
                        VALUES (:device, :kind, :network, :search, :point, :spec::jsonb) RETURNING id
                        """)
                .param("device", deviceId)
                .param("kind", kind)
                .param("network", networkId)
                .param("search", searchId)
                .param("point", pointIndex)
                .param("spec", json.writeValueAsString(spec))
                .query(Long.class)
                .single();
    }

    /** Leases the oldest open task of a device (queued, or leased with an expired lease). */
    Optional<TaskRow> lease(long deviceId, long workerId, String token, Duration lease) {
        return jdbc.sql("""
                        UPDATE worker_task SET status = 'LEASED', attempts = attempts + 1, lease_token = :token,
                               lease_worker = :worker, lease_until = now() + make_interval(secs => :lease)
                        WHERE id = (
                            SELECT id FROM worker_task
                            WHERE device_id = :device
                              AND (status = 'QUEUED' OR (status = 'LEASED' AND lease_until < now()))
                            ORDER BY id LIMIT 1
                            FOR UPDATE SKIP LOCKED)
                        RETURNING %s
                        """.formatted(TASK_COLUMNS))
                .param("token", token)
                .param("worker", workerId)
                .param("lease", (double) lease.toMillis() / 1000)
                .param("device", deviceId)
                .query((rs, n) -> task(rs))
                .optional();
    }

    private static final String TASK_COLUMNS =
            "id, device_id, kind, network_id, search_id, point_index, spec::text, status, attempts, lease_token,"
                    + " lease_until, result::text, error, created_at, finished_at";

    /** The task, locked for the rest of the transaction. */
    Optional<TaskRow> lockTask(long taskId) {
        return jdbc.sql("SELECT %s FROM worker_task WHERE id = :id FOR UPDATE".formatted(TASK_COLUMNS))
                .param("id", taskId)
                .query((rs, n) -> task(rs))
                .optional();
    }

    public Optional<TaskRow> task(long taskId) {
        return jdbc.sql("SELECT %s FROM worker_task WHERE id = :id".formatted(TASK_COLUMNS))
                .param("id", taskId)
                .query((rs, n) -> task(rs))
                .optional();
    }

    public List<TaskRow> tasks(long deviceId) {
        return jdbc.sql("SELECT %s FROM worker_task WHERE device_id = :device ORDER BY id".formatted(TASK_COLUMNS))
                .param("device", deviceId)
                .query((rs, n) -> task(rs))
                .list();
    }

    public List<TaskRow> validations(long searchId) {
        return jdbc.sql(
                        "SELECT %s FROM worker_task WHERE search_id = :search AND kind = 'validate' ORDER BY point_index, id"
                                .formatted(TASK_COLUMNS))
                .param("search", searchId)
                .query((rs, n) -> task(rs))
                .list();
    }

    boolean hasTaskOnNetwork(long deviceId, long networkId) {
        return jdbc.sql("SELECT count(*) FROM worker_task WHERE device_id = :device AND network_id = :network")
                        .param("device", deviceId)
                        .param("network", networkId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    boolean renew(long taskId, String token, Duration lease) {
        return jdbc.sql("""
                                UPDATE worker_task SET lease_until = now() + make_interval(secs => :lease)
                                WHERE id = :id AND status = 'LEASED' AND lease_token = :token
                                """)
                        .param("lease", (double) lease.toMillis() / 1000)
                        .param("id", taskId)
                        .param("token", token)
                        .update()
                == 1;
    }

    /** Stores a measurement unless that item was measured in that runtime already; true if stored. */
    boolean insertMeasurement(TaskRow task, ProfileItem item, Measurement m, String environment, long workerId) {
        return jdbc.sql("""
                                INSERT INTO measurement (task_id, item_key, runtime, device_id, layer_kind, shape, macs, precision, batch,
                                                         seconds, spread, runs, threads, environment, worker_id)
                                VALUES (:task, :key, :runtime, :device, :kind, :shape, :macs, :precision, :batch,
                                        :seconds, :spread, :runs, :threads, :environment, :worker)
                                ON CONFLICT (task_id, item_key, runtime) DO NOTHING
                                """)
                        .param("task", task.id())
                        .param("key", item.key())
                        .param("runtime", m.runtime() == null || m.runtime().isBlank() ? "java" : m.runtime())
                        .param("device", task.deviceId())
                        .param("kind", item.layerKind())
                        .param("shape", item.shape().toArray(Long[]::new))
                        .param("macs", item.macs())
                        .param("precision", item.precision())
                        .param("batch", item.batch())
                        .param("seconds", m.seconds())
                        .param("spread", m.spread())
                        .param("runs", m.runs())
                        .param("threads", m.threads())
                        .param("environment", environment)
                        .param("worker", workerId)
                        .update()
                == 1;
    }

    /** Records that an item cannot be measured; true if this is news. */
    boolean insertFailure(long taskId, String itemKey, String reason, long workerId) {
        return jdbc.sql("""
                                INSERT INTO measurement_failure (task_id, item_key, reason, worker_id)
                                VALUES (:task, :key, :reason, :worker) ON CONFLICT (task_id, item_key) DO NOTHING
                                """)
                        .param("task", taskId)
                        .param("key", itemKey)
                        .param("reason", reason)
                        .param("worker", workerId)
                        .update()
                == 1;
    }

    /** Items of a task reported as not measurable, with the reason. */
    Map<String, String> failures(long taskId) {
        Map<String, String> failures = new java.util.LinkedHashMap<>();
        jdbc.sql("SELECT item_key, reason FROM measurement_failure WHERE task_id = :task ORDER BY item_key")
                .param("task", taskId)
                .query(rs -> {
                    failures.put(rs.getString(1), rs.getString(2));
                });
        return failures;
    }

    /** Item keys of a task that have at least one measurement. */
    Set<String> measuredKeys(long taskId) {
        return Set.copyOf(jdbc.sql("SELECT DISTINCT item_key FROM measurement WHERE task_id = :task")
                .param("task", taskId)
                .query(String.class)
                .list());
    }

    void finish(long taskId, String status, String resultJson, String error) {
        jdbc.sql("""
                        UPDATE worker_task SET status = :status, result = :result::jsonb, error = :error,
                               finished_at = now(), lease_until = NULL
                        WHERE id = :id
                        """)
                .param("status", status)
                .param("result", resultJson)
                .param("error", error)
                .param("id", taskId)
                .update();
    }

    /** Back to the queue (the worker stopped before measuring every item). */
    void requeue(long taskId) {
        jdbc.sql("UPDATE worker_task SET status = 'QUEUED', lease_token = NULL, lease_until = NULL WHERE id = :id")
                .param("id", taskId)
                .update();
    }

    public List<MeasurementRow> measurements(long deviceId) {
        return jdbc.sql("""
                        SELECT task_id, item_key, runtime, layer_kind, shape, macs, precision, batch, seconds, spread,
                               runs, threads, environment, measured_at
                        FROM measurement WHERE device_id = :device ORDER BY task_id, item_key, runtime
                        """)
                .param("device", deviceId)
                .query((rs, n) -> {
                    Array shape = rs.getArray(5);
                    return new MeasurementRow(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            Arrays.asList((Long[]) shape.getArray()),
                            rs.getLong(6),
                            rs.getString(7),
                            rs.getInt(8),
                            rs.getDouble(9),
                            rs.getDouble(10),
                            rs.getInt(11),
                            rs.getInt(12),
                            rs.getString(13),
                            instant(rs.getObject(14, OffsetDateTime.class)));
                })
                .list();
    }

    private static TaskRow task(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new TaskRow(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getLong(4),
                (Long) rs.getObject(5),
                (Integer) rs.getObject(6),
                rs.getString(7),
                rs.getString(8),
                rs.getInt(9),
                rs.getString(10),
                instant(rs.getObject(11, OffsetDateTime.class)),
                rs.getString(12),
                rs.getString(13),
                instant(rs.getObject(14, OffsetDateTime.class)),
                instant(rs.getObject(15, OffsetDateTime.class)));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
