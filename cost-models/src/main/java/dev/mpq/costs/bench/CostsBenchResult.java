package dev.mpq.costs.bench;

import java.util.List;
import java.util.Locale;

/**
 * The figures of {@code ./mpq bench costs} (CONTRACTS.md section 6), exactly its fields; fractions as
 * numbers (never percent).
 *
 * @param sizeErrorMbMax largest |our size - published size| over the published HAWQ-V3
 *     configurations, in MB = 10^6 bytes
 * @param latencyMapeHeldout MAPE of the T4 model calibrated on the ResNet50 ILP layers with even
 *     index, on the layers with odd index
 * @param latencySpearmanHeldout Spearman rank correlation on the same held-out points
 * @param speedupErrorModel per published configuration with a published batch-8 latency: (predicted
 *     - published) / published of the latency ratio configuration / uniform INT8, calibrated model
 * @param speedupErrorSum the same with plain summation of the per-layer latencies
 */
public record CostsBenchResult(
        double sizeErrorMbMax,
        double latencyMapeHeldout,
        double latencySpearmanHeldout,
        List<Double> speedupErrorModel,
        List<Double> speedupErrorSum) {

    public CostsBenchResult {
        speedupErrorModel = List.copyOf(speedupErrorModel);
        speedupErrorSum = List.copyOf(speedupErrorSum);
    }

    /** The JSON object, written by hand (no JSON library in cost-models). */
    public String toJson() {
        return "{\n"
                + "  \"size_error_mb_max\": " + number(sizeErrorMbMax) + ",\n"
                + "  \"latency_mape_heldout\": " + number(latencyMapeHeldout) + ",\n"
                + "  \"latency_spearman_heldout\": " + number(latencySpearmanHeldout) + ",\n"
                + "  \"speedup_error_model\": " + list(speedupErrorModel) + ",\n"
                + "  \"speedup_error_sum\": " + list(speedupErrorSum) + "\n"
                + "}";
    }

    static String number(double value) {
        if (!Double.isFinite(value)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.6g", value)
                .replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2")
                .replaceFirst("\\.(e|$)", "$1");
    }

    private static String list(List<Double> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(number(values.get(i)));
        }
        return b.append(']').toString();
    }
}
