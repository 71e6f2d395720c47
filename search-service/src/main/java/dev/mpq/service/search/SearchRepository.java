package dev.mpq.service.search;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The SQL of searches (their job state lives in {@code job}). */
@Repository
class SearchRepository {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    SearchRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A search row with its job's state. */
    record StoredSearch(
            long id,
            long jobId,
            long networkId,
            long profileId,
            Long deviceId,
            SearchRequest request,
            String engine,
            long seed,
            String resultJson,
            String status,
            Double progress,
            String error,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt,
            String networkName,
            String deviceName,
            String reason,
            Long standingSearchId) {}

    private static final String SELECT = """
            SELECT s.id, s.job_id, s.network_id, s.profile_id, s.device_id, s.request::text, s.engine, s.seed,
                   %s AS result, j.status, j.progress, j.error, s.created_at, j.started_at, j.finished_at,
                   n.name AS network_name, d.name AS device_name, s.reason, s.standing_search_id
            FROM search s JOIN job j ON j.id = s.job_id JOIN network n ON n.id = s.network_id
            LEFT JOIN device d ON d.id = s.device_id
            """;

    long insert(
            long jobId,
            SearchRequest request,
            String engine,
            long seed,
            String reason,
            Long standingSearchId,
            String digest) {
        return jdbc.sql("""
                        INSERT INTO search (job_id, network_id, profile_id, device_id, request, engine, seed, reason,
                                            standing_search_id, inputs_digest)
                        VALUES (:job, :network, :profile, :device, :request::jsonb, :engine, :seed, :reason, :standing,
                                :digest)
                        RETURNING id
                        """)
                .param("reason", reason)
                .param("standing", standingSearchId)
                .param("digest", digest)
                .param("job", jobId)
                .param("network", request.networkId())
                .param("profile", request.profileId())
                .param("device", request.deviceId())
                .param("request", json.writeValueAsString(request))
                .param("engine", engine)
                .param("seed", seed)
                .query(Long.class)
                .single();
    }

    Optional<StoredSearch> find(long id) {
        return jdbc.sql(SELECT.formatted("s.result::text") + " WHERE s.id = :id")
                .param("id", id)
                .query((rs, n) -> row(rs))
                .optional();
    }

    Optional<StoredSearch> findByJob(long jobId) {
        return jdbc.sql(SELECT.formatted("NULL") + " WHERE s.job_id = :job")
                .param("job", jobId)
                .query((rs, n) -> row(rs))
                .optional();
    }

    /** Searches without their results, newest first. */
    List<StoredSearch> list(Long networkId) {
        String where = networkId == null ? "" : " WHERE s.network_id = :network";
        var spec = jdbc.sql(SELECT.formatted("NULL") + where + " ORDER BY s.id DESC LIMIT 500");
        if (networkId != null) {
            spec = spec.param("network", networkId);
        }
        return spec.query((rs, n) -> row(rs)).list();
    }

    /** The inputs digest of the newest search of a standing search on a device, if any. */
    java.util.Optional<String> latestDigest(long standingSearchId, long deviceId) {
        return jdbc.sql("""
                        SELECT inputs_digest FROM search WHERE standing_search_id = :standing AND device_id = :device
                        ORDER BY id DESC LIMIT 1
                        """)
                .param("standing", standingSearchId)
                .param("device", deviceId)
                .query((rs, n) -> java.util.Optional.ofNullable(rs.getString(1)).orElse(""))
                .optional();
    }

    void saveResult(long id, String engine, String resultJson) {
        jdbc.sql("UPDATE search SET result = :result::jsonb, engine = :engine WHERE id = :id")
                .param("result", resultJson)
                .param("engine", engine)
                .param("id", id)
                .update();
    }

    private StoredSearch row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new StoredSearch(
                rs.getLong(1),
                rs.getLong(2),
                rs.getLong(3),
                rs.getLong(4),
                (Long) rs.getObject(5),
                json.readValue(rs.getString(6), SearchRequest.class),
                rs.getString(7),
                rs.getLong(8),
                rs.getString(9),
                rs.getString(10),
                (Double) rs.getObject(11),
                rs.getString(12),
                instant(rs.getObject(13, OffsetDateTime.class)),
                instant(rs.getObject(14, OffsetDateTime.class)),
                instant(rs.getObject(15, OffsetDateTime.class)),
                rs.getString(16),
                rs.getString(17),
                rs.getString(18),
                (Long) rs.getObject(19));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
