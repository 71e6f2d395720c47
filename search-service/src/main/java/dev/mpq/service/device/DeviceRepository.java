package dev.mpq.service.device;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The SQL of devices and their cost tables. */
@Repository
public class DeviceRepository {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
    private static final TypeReference<List<Map<String, LayerCost>>> COSTS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    DeviceRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    long insert(DeviceRequest device) {
        return jdbc.sql("INSERT INTO device (name, kind, spec) VALUES (:name, :kind, :spec::jsonb) RETURNING id")
                .param("name", device.name())
                .param("kind", device.kind())
                .param("spec", json.writeValueAsString(device.spec() == null ? Map.of() : device.spec()))
                .query(Long.class)
                .single();
    }

    boolean nameTaken(String name) {
        return jdbc.sql("SELECT count(*) FROM device WHERE name = :name")
                        .param("name", name)
                        .query(Long.class)
                        .single()
                > 0;
    }

    public Optional<StoredDevice> find(long id) {
        return jdbc.sql("SELECT id, name, kind, spec::text, created_at FROM device WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> new StoredDevice(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        json.readValue(rs.getString(4), OBJECT),
                        rs.getObject(5, OffsetDateTime.class).toInstant()))
                .optional();
    }

    List<StoredDevice> list() {
        return jdbc.sql("SELECT id, name, kind, spec::text, created_at FROM device ORDER BY id")
                .query((rs, n) -> new StoredDevice(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        json.readValue(rs.getString(4), OBJECT),
                        rs.getObject(5, OffsetDateTime.class).toInstant()))
                .list();
    }

    /** Inserts or replaces the cost table of a network on a device. */
    void saveCostTable(long deviceId, long networkId, List<Map<String, LayerCost>> costs) {
        jdbc.sql("""
                        INSERT INTO device_cost_table (device_id, network_id, costs) VALUES (:device, :network, :costs::jsonb)
                        ON CONFLICT (device_id, network_id) DO UPDATE SET costs = excluded.costs, updated_at = now()
                        """)
                .param("device", deviceId)
                .param("network", networkId)
                .param("costs", json.writeValueAsString(costs))
                .update();
    }

    /** The cost table of a network on a device, aligned with the network's layers. */
    public Optional<List<Map<String, LayerCost>>> costTable(long deviceId, long networkId) {
        return jdbc.sql("SELECT costs::text FROM device_cost_table WHERE device_id = :device AND network_id = :network")
                .param("device", deviceId)
                .param("network", networkId)
                .query((rs, n) -> json.readValue(rs.getString(1), COSTS))
                .optional();
    }

    List<Long> networksWithCostTables(long deviceId) {
        return jdbc.sql("SELECT network_id FROM device_cost_table WHERE device_id = :device ORDER BY network_id")
                .param("device", deviceId)
                .query(Long.class)
                .list();
    }
}
