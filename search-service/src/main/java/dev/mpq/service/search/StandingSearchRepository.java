package dev.mpq.service.search;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The SQL of standing searches. */
@Repository
class StandingSearchRepository {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    StandingSearchRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A standing search: a search request without a device, re-run for every device. */
    record StandingSearch(
            long id, long networkId, long profileId, String name, SearchRequest request, Instant createdAt) {}

    long insert(long networkId, long profileId, String name, SearchRequest request) {
        return jdbc.sql("""
                        INSERT INTO standing_search (network_id, profile_id, name, request)
                        VALUES (:network, :profile, :name, :request::jsonb) RETURNING id
                        """)
                .param("network", networkId)
                .param("profile", profileId)
                .param("name", name)
                .param("request", json.writeValueAsString(request))
                .query(Long.class)
                .single();
    }

    boolean nameTaken(long networkId, String name) {
        return jdbc.sql("SELECT count(*) FROM standing_search WHERE network_id = :network AND name = :name")
                        .param("network", networkId)
                        .param("name", name)
                        .query(Long.class)
                        .single()
                > 0;
    }

    List<StandingSearch> all() {
        return jdbc.sql(
                        "SELECT id, network_id, profile_id, name, request::text, created_at FROM standing_search ORDER BY id")
                .query((rs, n) -> row(rs))
                .list();
    }

    List<StandingSearch> forNetwork(long networkId) {
        return jdbc.sql("""
                        SELECT id, network_id, profile_id, name, request::text, created_at
                        FROM standing_search WHERE network_id = :network ORDER BY id
                        """)
                .param("network", networkId)
                .query((rs, n) -> row(rs))
                .list();
    }

    private StandingSearch row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new StandingSearch(
                rs.getLong(1),
                rs.getLong(2),
                rs.getLong(3),
                rs.getString(4),
                json.readValue(rs.getString(5), SearchRequest.class),
                rs.getObject(6, OffsetDateTime.class).toInstant());
    }
}
