package dev.mpq.service.profile;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The SQL of sensitivity profiles. */
@Repository
public class ProfileRepository {

    private static final TypeReference<List<Map<String, Double>>> PENALTIES = new TypeReference<>() {};
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ProfileRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A row of a network's profile list. */
    public record Summary(long id, String name, String method, java.time.Instant createdAt) {}

    long insert(
            long networkId,
            String name,
            String method,
            Map<String, Object> inputs,
            List<Map<String, Double>> penalties) {
        return jdbc.sql("""
                        INSERT INTO sensitivity_profile (network_id, name, method, inputs, penalties)
                        VALUES (:network, :name, :method, :inputs::jsonb, :penalties::jsonb) RETURNING id
                        """)
                .param("network", networkId)
                .param("name", name)
                .param("method", method)
                .param("inputs", json.writeValueAsString(inputs == null ? Map.of() : inputs))
                .param("penalties", json.writeValueAsString(penalties))
                .query(Long.class)
                .single();
    }

    boolean nameTaken(long networkId, String name) {
        return jdbc.sql("SELECT count(*) FROM sensitivity_profile WHERE network_id = :network AND name = :name")
                        .param("network", networkId)
                        .param("name", name)
                        .query(Long.class)
                        .single()
                > 0;
    }

    public Optional<StoredProfile> find(long id) {
        return jdbc.sql("""
                        SELECT id, network_id, name, method, inputs::text, penalties::text, created_at
                        FROM sensitivity_profile WHERE id = :id
                        """)
                .param("id", id)
                .query((rs, n) -> new StoredProfile(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getString(4),
                        json.readValue(rs.getString(5), OBJECT),
                        json.readValue(rs.getString(6), PENALTIES),
                        rs.getObject(7, OffsetDateTime.class).toInstant()))
                .optional();
    }

    List<Summary> listForNetwork(long networkId) {
        return jdbc.sql(
                        "SELECT id, name, method, created_at FROM sensitivity_profile WHERE network_id = :network ORDER BY id")
                .param("network", networkId)
                .query((rs, n) -> new Summary(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant()))
                .list();
    }
}
