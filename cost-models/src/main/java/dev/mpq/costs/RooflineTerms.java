package dev.mpq.costs;

/**
 * The parts of a roofline prediction before efficiencies: times at 100 % of peak compute and
 * bandwidth. {@link RooflineModel#latency(DeviceSpec, RooflineTerms)} combines them with a device's
 * efficiency and overhead terms; calibration fits those terms against measured latencies.
 *
 * @param execution how the device runs the precision (never excluded here)
 * @param computeSeconds 2 x MACs x batch / peak of the execution's mode
 * @param dequantSeconds weight conversions (elements x conversions x ops per element) / vector rate
 * @param memorySeconds (weight bytes + activation bytes) / peak bandwidth
 * @param weightBytes exact weight bytes read (scales included)
 * @param activationBytes input bytes read + output bytes written
 */
public record RooflineTerms(
        Execution execution,
        double computeSeconds,
        double dequantSeconds,
        double memorySeconds,
        long weightBytes,
        double activationBytes) {

    public RooflineTerms {
        if (execution == null || execution.isExcluded()) {
            throw new IllegalArgumentException("Roofline terms need a runnable execution, not " + execution + ".");
        }
    }
}
