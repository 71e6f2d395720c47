package dev.mpq.service.device;

import dev.mpq.core.LayerKind;
import dev.mpq.core.Precision;
import dev.mpq.costs.AccuracyReport;
import dev.mpq.costs.Calibration;
import dev.mpq.costs.Calibrator;
import dev.mpq.costs.DeviceCatalog;
import dev.mpq.costs.DeviceModel;
import dev.mpq.costs.DeviceSpec;
import dev.mpq.costs.LayerShape;
import dev.mpq.costs.MeasuredTable;
import dev.mpq.costs.MeasuredTableCsv;
import dev.mpq.costs.Measurement;
import dev.mpq.service.api.NotFoundException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A device's cost model as the searches use it: the catalogue entry with the user's overrides, the
 * measured table (imported tables plus every latency the device's workers measured; of several
 * runtimes for the same item, the fastest), and the stored calibration. Calibration fits the
 * efficiency and overhead terms on half the measured layer shapes and reports its accuracy on the
 * other half ({@link Calibrator#alternateShapes}).
 */
@Component
public class DeviceModels {

    /** Fewer measured points than this leave the catalogue figures uncalibrated. */
    static final int MIN_CALIBRATION_POINTS = 4;

    private final DeviceRepository devices;
    private final JdbcClient jdbc;

    DeviceModels(DeviceRepository devices, JdbcClient jdbc) {
        this.devices = devices;
        this.jdbc = jdbc;
    }

    /** The device's spec from its catalogue entry and overrides, if it has a cost model. */
    public Optional<DeviceSpec> spec(StoredDevice device) {
        return device.hasModel()
                ? Optional.of(DeviceCatalog.derive(device.catalogue(), device.overrides()))
                : Optional.empty();
    }

    /** The measured table of a device: imports and worker measurements. */
    public MeasuredTable measuredTable(long deviceId) {
        MeasuredTable table = MeasuredTable.empty();
        for (Map.Entry<String, String> imported : devices.imports(deviceId)) {
            table = table.merge(MeasuredTableCsv.read(new StringReader(imported.getValue()), imported.getKey()));
        }
        return table.merge(MeasuredTable.of(workerMeasurements(deviceId)));
    }

    private List<Measurement> workerMeasurements(long deviceId) {
        Map<String, Measurement> fastest = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT task_id, item_key, layer_kind, shape, macs, precision, batch, seconds, runtime
                        FROM measurement WHERE device_id = :device ORDER BY task_id, item_key, runtime
                        """).param("device", deviceId).query(rs -> {
            List<Long> shape = List.of((Long[]) rs.getArray("shape").getArray());
            long parameters = shape.stream().reduce(1L, Math::multiplyExact);
            LayerShape layer = new LayerShape(
                    LayerKind.fromId(rs.getString("layer_kind")), shape, parameters, rs.getLong("macs"), 0);
            Measurement m = new Measurement(
                    layer,
                    Precision.parse(rs.getString("precision")),
                    rs.getInt("batch"),
                    rs.getDouble("seconds"),
                    "worker task %d (%s)".formatted(rs.getLong("task_id"), rs.getString("runtime")));
            fastest.merge(
                    rs.getLong("task_id") + "/" + rs.getString("item_key"),
                    m,
                    (a, b) -> a.latencySeconds() <= b.latencySeconds() ? a : b);
        });
        return new ArrayList<>(fastest.values());
    }

    /** The full model of a device, or empty when it has no catalogue entry. */
    public Optional<DeviceModel> model(long deviceId) {
        StoredDevice device = devices.find(deviceId).orElseThrow(() -> new NotFoundException("Device", deviceId));
        return spec(device)
                .map(spec -> new DeviceModel(spec, measuredTable(deviceId), device.calibration(), device.accuracy()));
    }

    /** The outcome of a calibration, for the API. */
    public record CalibrationOutcome(Calibration calibration, AccuracyReport accuracy, int points, String note) {}

    /**
     * Fits the device's efficiency and overhead terms on its measured table and stores the result
     * with its held-out accuracy (inside the caller's transaction).
     */
    public CalibrationOutcome recalibrate(long deviceId) {
        StoredDevice device = devices.find(deviceId).orElseThrow(() -> new NotFoundException("Device", deviceId));
        Optional<DeviceSpec> spec = spec(device);
        List<Measurement> points = measuredTable(deviceId).measurements();
        if (spec.isEmpty()) {
            return new CalibrationOutcome(
                    null, null, points.size(), "The device has no catalogue entry, so no model to calibrate.");
        }
        if (points.size() < MIN_CALIBRATION_POINTS) {
            devices.saveCalibration(deviceId, null, null);
            return new CalibrationOutcome(
                    null,
                    null,
                    points.size(),
                    "%d measured points; calibration needs at least %d, the catalogue figures are used."
                            .formatted(points.size(), MIN_CALIBRATION_POINTS));
        }
        Calibrator.Split split = Calibrator.alternateShapes(points);
        Calibration calibration;
        AccuracyReport accuracy = null;
        if (split.heldOut().isEmpty() || split.fit().isEmpty()) {
            calibration = Calibrator.fit(spec.get(), points);
        } else {
            Calibrator.Validated validated = Calibrator.fitAndValidate(spec.get(), split.fit(), split.heldOut());
            calibration = validated.calibration();
            accuracy = validated.report();
        }
        devices.saveCalibration(deviceId, calibration, accuracy);
        return new CalibrationOutcome(
                calibration,
                accuracy,
                points.size(),
                accuracy == null
                        ? "Fitted on all %d points; a single layer shape leaves none to hold out."
                                .formatted(points.size())
                        : "Fitted on %d points, accuracy on %d held-out points."
                                .formatted(accuracy.fitPoints(), accuracy.heldOutPoints()));
    }
}
