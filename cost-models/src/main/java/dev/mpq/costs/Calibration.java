package dev.mpq.costs;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The efficiency and overhead terms of a device fitted to measured points ({@link Calibrator}).
 *
 * @param deviceId the device the fit is for
 * @param modeEfficiency fraction of peak per math mode: fitted for the modes in {@code fittedModes},
 *     the catalogue value times the fitted modes' geometric-mean correction for the others
 * @param fittedModes modes that had measured points
 * @param computeEfficiency the device-wide default after the same correction
 * @param memoryEfficiency fitted fraction of peak bandwidth
 * @param overheadSeconds fitted per-layer overhead
 * @param points measured points used by the fit
 * @param skippedPoints points left out because the device spec excludes their precision
 * @param fitMape mean absolute percentage error (fraction) on the fit points
 * @param method how the fit was made
 * @param note warnings (e.g. efficiencies above 1: the measurements may not be in seconds)
 */
public record Calibration(
        String deviceId,
        Map<MathMode, Double> modeEfficiency,
        Set<MathMode> fittedModes,
        double computeEfficiency,
        double memoryEfficiency,
        double overheadSeconds,
        int points,
        int skippedPoints,
        double fitMape,
        String method,
        String note) {

    public Calibration {
        EnumMap<MathMode, Double> copy = new EnumMap<>(MathMode.class);
        copy.putAll(modeEfficiency);
        modeEfficiency = Collections.unmodifiableMap(copy);
        EnumSet<MathMode> fitted = EnumSet.noneOf(MathMode.class);
        fitted.addAll(fittedModes);
        fittedModes = Collections.unmodifiableSet(fitted);
        note = note == null ? "" : note;
    }

    /** The device spec with these terms in place of its own. */
    public DeviceSpec apply(DeviceSpec base) {
        return base.apply(DeviceSpec.Overrides.none()
                .withEfficiencies(modeEfficiency, computeEfficiency, memoryEfficiency, overheadSeconds));
    }
}
