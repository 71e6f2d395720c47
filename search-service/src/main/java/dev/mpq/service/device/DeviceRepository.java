package dev.mpq.service.device;

import dev.mpq.costs.AccuracyReport;
import dev.mpq.costs.Calibration;
import dev.mpq.costs.DeviceSpec;
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

    long insert(DeviceRequest device, String kind) {
        return jdbc.sql("""
                        INSERT INTO device (name, kind, spec, catalogue, overrides)
                        VALUES (:name, :kind, :spec::jsonb, :catalogue, :overrides::jsonb) RETURNING id
                        """)
                .param("name", device.name())
                .param("kind", kind)
                .param("spec", json.writeValueAsString(device.spec() == null ? Map.of() : device.spec()))
                .param("catalogue", device.catalogue())
                .param("overrides", device.overrides() == null ? null : json.writeValueAsString(device.overrides()))
                .query(Long.class)
                .single();
    }

    /** Stores a new calibration (or none) and marks the device's model as changed. */
    public void saveCalibration(long deviceId, Calibration calibration, AccuracyReport accuracy) {
        jdbc.sql("""
                        UPDATE device SET calibration = :calibration::jsonb, accuracy = :accuracy::jsonb,
                               model_updated_at = now()
                        WHERE id = :id
                        """)
                .param("calibration", calibration == null ? null : json.writeValueAsString(calibration))
                .param("accuracy", accuracy == null ? null : json.writeValueAsString(accuracy))
                .param("id", deviceId)
                .update();
    }

    /** Stores an imported measured table as canonical CSV. */
    public long insertImport(long deviceId, String name, int points, String csv) {
        return jdbc.sql("""
                        INSERT INTO measured_import (device_id, name, points, csv) VALUES (:device, :name, :points, :csv)
                        RETURNING id
                        """)
                .param("device", deviceId)
                .param("name", name)
                .param("points", points)
                .param("csv", csv)
                .query(Long.class)
                .single();
    }

    /** Imported tables of a device: name and canonical CSV, oldest first. */
    public List<Map.Entry<String, String>> imports(long deviceId) {
        return jdbc.sql("SELECT name, csv FROM measured_import WHERE device_id = :device ORDER BY id")
                .param("device", deviceId)
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
                .list();
    }

    public List<Long> all() {
        return jdbc.sql("SELECT id FROM device ORDER BY id").query(Long.class).list();
    }

    boolean nameTaken(String name) {
        return jdbc.sql("SELECT count(*) FROM device WHERE name = :name")
                        .param("name", name)
                        .query(Long.class)
                        .single()
                > 0;
    }

    private static final String COLUMNS =
            "id, name, kind, spec::text, catalogue, overrides::text, calibration::text, accuracy::text, created_at,"
                    + " model_updated_at";

    public Optional<StoredDevice> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM device WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> row(rs))
                .optional();
    }

    List<StoredDevice> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM device ORDER BY id")
                .query((rs, n) -> row(rs))
                .list();
    }

    private StoredDevice row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new StoredDevice(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                json.readValue(rs.getString(4), OBJECT),
                rs.getString(5),
                rs.getString(6) == null ? null : json.readValue(rs.getString(6), DeviceSpec.Overrides.class),
                rs.getString(7) == null ? null : json.readValue(rs.getString(7), Calibration.class),
                rs.getString(8) == null ? null : json.readValue(rs.getString(8), AccuracyReport.class),
                rs.getObject(9, OffsetDateTime.class).toInstant(),
                rs.getObject(10, OffsetDateTime.class).toInstant());
    }

    /** When the user's cost table of a network on a device last changed, if it has one. */
    public Optional<java.time.Instant> costTableUpdatedAt(long deviceId, long networkId) {
        return jdbc.sql("SELECT updated_at FROM device_cost_table WHERE device_id = :device AND network_id = :network")
                .param("device", deviceId)
                .param("network", networkId)
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant())
                .optional();
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
