package dev.mpq.service.network;

import dev.mpq.core.LayerKind;
import dev.mpq.core.LayerSpec;
import dev.mpq.core.NetworkSpec;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of networks and their layers. */
@Repository
public class NetworkRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    NetworkRepository(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** A row of the network list. */
    public record Summary(long id, String name, int layers, long parameters, Instant createdAt) {}

    long insert(NetworkSpec spec) {
        long id = jdbc.sql("INSERT INTO network (name) VALUES (:name) RETURNING id")
                .param("name", spec.name())
                .query(Long.class)
                .single();
        List<LayerSpec> layers = spec.layers();
        template.batchUpdate("""
                INSERT INTO network_layer (network_id, position, name, kind, shape, parameters, macs, tie_group)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, new BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement ps, int i) throws SQLException {
                LayerSpec layer = layers.get(i);
                Array shape =
                        ps.getConnection().createArrayOf("bigint", layer.shape().toArray());
                ps.setLong(1, id);
                ps.setInt(2, i);
                ps.setString(3, layer.name());
                ps.setString(4, layer.kind().id());
                ps.setArray(5, shape);
                ps.setLong(6, layer.parameters());
                ps.setLong(7, layer.macs());
                ps.setString(8, layer.tieGroup());
            }

            @Override
            public int getBatchSize() {
                return layers.size();
            }
        });
        return id;
    }

    public boolean exists(long id) {
        return jdbc.sql("SELECT count(*) FROM network WHERE id = :id")
                        .param("id", id)
                        .query(Long.class)
                        .single()
                > 0;
    }

    public boolean nameTaken(String name) {
        return jdbc.sql("SELECT count(*) FROM network WHERE name = :name")
                        .param("name", name)
                        .query(Long.class)
                        .single()
                > 0;
    }

    public Optional<StoredNetwork> find(long id) {
        Optional<Object[]> head = jdbc.sql("SELECT name, created_at FROM network WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> new Object[] {rs.getString(1), rs.getObject(2, OffsetDateTime.class)})
                .optional();
        if (head.isEmpty()) {
            return Optional.empty();
        }
        List<LayerSpec> layers = new ArrayList<>();
        jdbc.sql("""
                        SELECT name, kind, shape, parameters, macs, tie_group
                        FROM network_layer WHERE network_id = :id ORDER BY position
                        """).param("id", id).query(rs -> {
            Long[] shape = (Long[]) rs.getArray("shape").getArray();
            layers.add(new LayerSpec(
                    rs.getString("name"),
                    LayerKind.fromId(rs.getString("kind")),
                    Arrays.asList(shape),
                    rs.getLong("parameters"),
                    rs.getLong("macs"),
                    rs.getString("tie_group")));
        });
        String name = (String) head.get()[0];
        Instant created = ((OffsetDateTime) head.get()[1]).toInstant();
        return Optional.of(new StoredNetwork(id, created, new NetworkSpec(name, layers)));
    }

    List<Summary> list() {
        return jdbc.sql("""
                        SELECT n.id, n.name, n.created_at, count(l.position) AS layers, coalesce(sum(l.parameters), 0) AS parameters
                        FROM network n LEFT JOIN network_layer l ON l.network_id = n.id
                        GROUP BY n.id ORDER BY n.id
                        """)
                .query((rs, n) -> new Summary(
                        rs.getLong("id"),
                        rs.getString("name"),
                        rs.getInt("layers"),
                        rs.getLong("parameters"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .list();
    }
}
