package dev.mpq.service.device;

import dev.mpq.costs.AccuracyReport;
import dev.mpq.costs.Calibration;
import dev.mpq.costs.DeviceSpec;
import java.time.Instant;
import java.util.Map;

/**
 * A device as stored: its catalogue entry and overrides (null: no cost model, user cost tables
 * only), the calibration fitted on its measured points with the accuracy on held-out points.
 */
public record StoredDevice(
        long id,
        String name,
        String kind,
        Map<String, Object> spec,
        String catalogue,
        DeviceSpec.Overrides overrides,
        Calibration calibration,
        AccuracyReport accuracy,
        Instant createdAt,
        Instant modelUpdatedAt) {

    public boolean hasModel() {
        return catalogue != null;
    }
}
