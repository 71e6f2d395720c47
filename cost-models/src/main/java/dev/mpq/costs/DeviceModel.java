package dev.mpq.costs;

import dev.mpq.core.Precision;
import java.util.Objects;

/**
 * Everything the service knows about one device for costing: its spec (catalogue entry with
 * overrides, or a full spec), its measured table (possibly empty) and its calibration with the
 * accuracy report (both null until measured points have been fitted).
 */
public record DeviceModel(DeviceSpec spec, MeasuredTable table, Calibration calibration, AccuracyReport accuracy) {

    public DeviceModel {
        Objects.requireNonNull(spec, "A device model needs a spec.");
        table = table == null ? MeasuredTable.empty() : table;
        if (calibration != null && !calibration.deviceId().equals(spec.id())) {
            throw new IllegalArgumentException(
                    "Calibration for device '%s' cannot serve device '%s'; calibrate %s itself."
                            .formatted(calibration.deviceId(), spec.id(), spec.id()));
        }
    }

    /** A device costed by its catalogue figures alone. */
    public static DeviceModel ofSpec(DeviceSpec spec) {
        return new DeviceModel(spec, MeasuredTable.empty(), null, null);
    }

    /** The spec the model predicts with: calibrated terms when there is a calibration. */
    public DeviceSpec effectiveSpec() {
        return calibration == null ? spec : calibration.apply(spec);
    }

    /**
     * The cost of one layer step: the measured table's latency where it covers the shape, precision
     * and batch, the roofline prediction otherwise; excluded when the device cannot run the precision
     * and nothing was measured.
     */
    public LayerCost cost(LayerShape shape, Precision precision, int batch) {
        DeviceSpec effective = effectiveSpec();
        LayerCost predicted = RooflineModel.predict(effective, shape, precision, batch);
        MeasuredTable.Lookup lookup = table.lookup(shape, precision, batch);
        if (!lookup.found()) {
            if (predicted instanceof LayerCost.Costed costed && !lookup.note().isEmpty()) {
                return withNote(costed, costed.note() + "; " + lookup.note());
            }
            return predicted;
        }
        if (predicted instanceof LayerCost.Costed costed) {
            return new LayerCost.Costed(
                    precision.id(),
                    lookup.seconds(),
                    LatencySource.MEASURED,
                    costed.predictedSeconds(),
                    costed.weightBytes(),
                    costed.bops(),
                    costed.execution(),
                    costed.breakdown(),
                    lookup.note());
        }
        String reason = ((LayerCost.Excluded) predicted).reason();
        return new LayerCost.Costed(
                precision.id(),
                lookup.seconds(),
                LatencySource.MEASURED,
                Double.NaN,
                LayerAccounting.weightBytes(shape, precision.weight()),
                LayerAccounting.bops(shape, precision),
                Execution.excluded(reason),
                null,
                lookup.note() + "; measured although the device spec excludes it (" + reason + ")");
    }

    private static LayerCost.Costed withNote(LayerCost.Costed c, String note) {
        return new LayerCost.Costed(
                c.precision(),
                c.latencySeconds(),
                c.source(),
                c.predictedSeconds(),
                c.weightBytes(),
                c.bops(),
                c.execution(),
                c.breakdown(),
                note);
    }

    /** One line on how this device is costed, for results ("Devices without a worker ... say so"). */
    public String basis() {
        StringBuilder b = new StringBuilder();
        if (table.isEmpty()) {
            b.append("no measured table");
        } else {
            b.append("measured table of ").append(table.size()).append(" points");
        }
        if (calibration == null) {
            b.append("; roofline with catalogue figures (uncalibrated");
            if (!spec.estimates().isEmpty()) {
                b.append("; estimates: ").append(String.join(", ", spec.estimates()));
            }
            b.append(')');
        } else {
            b.append("; roofline calibrated on ").append(calibration.points()).append(" points");
            if (accuracy != null) {
                b.append(" (held-out MAPE %.3f, Spearman %.3f)".formatted(accuracy.mape(), accuracy.spearman()));
            }
        }
        return b.toString();
    }
}
