package dev.mpq.core.worker;

import java.util.List;

/**
 * Measurements of a profile task, sent as they are taken (any number per report). Reporting an
 * item again changes nothing: the first measurement of an item is kept.
 *
 * @param failures items this worker cannot measure (no kernel for the precision), with the reason:
 *     the task counts them as settled, so it can finish with these gaps named
 * @param environment how they were taken, e.g. "OpenJDK 17.0.15, 2 threads, AVX2"
 * @param finished true on the last report: the worker has measured every item it leased
 */
public record MeasurementReport(
        String leaseToken,
        List<Measurement> measurements,
        List<ItemFailure> failures,
        String environment,
        boolean finished) {

    public MeasurementReport {
        measurements = List.copyOf(measurements == null ? List.of() : measurements);
        failures = List.copyOf(failures == null ? List.of() : failures);
    }
}
