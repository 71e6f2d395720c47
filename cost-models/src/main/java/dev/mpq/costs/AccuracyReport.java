package dev.mpq.costs;

/**
 * How well a calibrated model predicts measured points it was not fitted on.
 *
 * @param fitPoints points the calibration used
 * @param heldOutPoints points evaluated (not used by the fit)
 * @param mape mean absolute percentage error on the held-out points, as a fraction
 * @param spearman Spearman rank correlation of predicted and measured held-out latencies
 * @param maxRelativeError largest |predicted - measured| / measured on the held-out points
 * @param fitMape the same MAPE on the fit points
 */
public record AccuracyReport(
        int fitPoints, int heldOutPoints, double mape, double spearman, double maxRelativeError, double fitMape) {}
