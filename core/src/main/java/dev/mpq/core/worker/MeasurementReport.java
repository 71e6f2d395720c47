package dev.mpq.core.worker;

import java.util.List;

/**
 * Measurements of a profile task, sent as they are taken (any number per report). Reporting an
 * item again changes nothing: the first measurement of an item is kept.
 *
 * @param environment how they were taken, e.g. "OpenJDK 17.0.15, 2 threads, AVX2"
 * @param finished true on the last report: the worker has measured every item it leased
 */
public record MeasurementReport(
        String leaseToken, List<Measurement> measurements, String environment, boolean finished) {

    public MeasurementReport {
        measurements = List.copyOf(measurements == null ? List.of() : measurements);
    }
}
