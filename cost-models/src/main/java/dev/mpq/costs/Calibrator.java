package dev.mpq.costs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Fits a device's efficiency and overhead terms to measured latencies.
 *
 * <p>Model: latency = max((compute + dequant) / e[mode], memory / e_mem) + overhead with the terms of
 * {@link RooflineModel} at 100 % efficiency. Parameters: e[mode] for every mode that has points,
 * e_mem, overhead; all are fitted in log space (so they stay positive).
 *
 * <p>Objective: least squares on relative residuals, sum ((predicted - measured) / measured)^2 (the
 * quantity behind MAPE, so short and long layers weigh alike), plus a weak pull (weight {@value
 * #PRIOR_WEIGHT} per parameter, squared log distance) towards the catalogue terms rescaled by the
 * median measured / predicted ratio. The pull only matters for a parameter no point constrains (all
 * points compute bound leave e_mem free), which then stays at its rescaled catalogue value; the
 * rescaling makes the fit independent of the measurements' time unit.
 *
 * <p>Minimiser: Nelder-Mead ({@link NelderMead}), deterministic, from three starts (catalogue terms,
 * rescaled terms, rescaled terms with an overhead of a tenth of the smallest measurement), each
 * restarted from its best point until it no longer improves; the best result wins. Modes without
 * points get their catalogue efficiency times the geometric mean of fitted / catalogue over the
 * fitted modes.
 */
public final class Calibrator {

    /** Weight of the pull towards the rescaled catalogue terms, per parameter. */
    public static final double PRIOR_WEIGHT = 1e-4;

    static final String METHOD = "least squares on relative errors, Nelder-Mead in log space, weak prior "
            + PRIOR_WEIGHT + " towards rescaled catalogue terms";

    private Calibrator() {}

    /** A fit and its accuracy on held-out points. */
    public record Validated(Calibration calibration, AccuracyReport report, List<Prediction> heldOut) {}

    /** One held-out point with its prediction. */
    public record Prediction(Measurement measurement, double predictedSeconds) {

        public double relativeError() {
            return (predictedSeconds - measurement.latencySeconds()) / measurement.latencySeconds();
        }
    }

    /** Points split into a fit half and a held-out half. */
    public record Split(List<Measurement> fit, List<Measurement> heldOut) {}

    /** Fits {@code base}'s terms to {@code points}. */
    public static Calibration fit(DeviceSpec base, List<Measurement> points) {
        List<Point> usable = new ArrayList<>();
        int skipped = 0;
        for (Measurement m : points) {
            Execution execution = FormatSupport.resolve(base, m.precision());
            if (execution.isExcluded()) {
                skipped++;
                continue;
            }
            usable.add(new Point(
                    RooflineModel.terms(base, m.shape(), m.precision(), m.batch(), execution), m.latencySeconds()));
        }
        if (usable.isEmpty()) {
            throw new IllegalArgumentException(
                    "No measured point on %s can be used for calibration (%d given, %d with precisions the device excludes); measure some precisions it runs."
                            .formatted(base.id(), points.size(), skipped));
        }
        List<MathMode> modes = new ArrayList<>();
        for (Point p : usable) {
            if (!modes.contains(p.terms.execution().mode())) {
                modes.add(p.terms.execution().mode());
            }
        }
        int n = modes.size() + 2;
        int memoryIndex = modes.size();
        int overheadIndex = modes.size() + 1;
        int[] modeIndex = new int[usable.size()];
        for (int i = 0; i < usable.size(); i++) {
            modeIndex[i] = modes.indexOf(usable.get(i).terms.execution().mode());
        }

        double[] catalogue = new double[n];
        for (int k = 0; k < modes.size(); k++) {
            catalogue[k] = Math.log(base.efficiency(modes.get(k)));
        }
        catalogue[memoryIndex] = Math.log(base.memoryEfficiency());
        catalogue[overheadIndex] = Math.log(Math.max(base.overheadSeconds(), 1e-9));
        double scale = medianRatio(usable, modeIndex, catalogue, memoryIndex, overheadIndex);
        double[] prior = catalogue.clone();
        for (int k = 0; k <= memoryIndex; k++) {
            prior[k] -= Math.log(scale);
        }
        prior[overheadIndex] += Math.log(scale);

        double minMeasured = usable.stream().mapToDouble(p -> p.measured).min().orElseThrow();
        double[] withOverhead = prior.clone();
        withOverhead[overheadIndex] = Math.log(minMeasured / 10);

        ToDoubleFunction<double[]> objective = theta -> {
            double sum = 0;
            for (int i = 0; i < usable.size(); i++) {
                Point p = usable.get(i);
                double predicted = predict(p.terms, theta, modeIndex[i], memoryIndex, overheadIndex);
                double r = (predicted - p.measured) / p.measured;
                sum += r * r;
            }
            for (int k = 0; k < n; k++) {
                double d = theta[k] - prior[k];
                sum += PRIOR_WEIGHT * d * d;
            }
            return sum;
        };

        NelderMead.Result best = null;
        for (double[] start : List.of(catalogue, prior, withOverhead)) {
            NelderMead.Result result = NelderMead.minimize(objective, start, 0.5, 1e-15, 20_000);
            for (int round = 0; round < 20; round++) {
                NelderMead.Result again = NelderMead.minimize(objective, result.point(), 0.1, 1e-15, 20_000);
                boolean improved = again.value() < result.value() * (1 - 1e-10);
                result = again.value() < result.value() ? again : result;
                if (!improved) {
                    break;
                }
            }
            if (best == null || result.value() < best.value()) {
                best = result;
            }
        }
        double[] theta = best.point();

        Map<MathMode, Double> efficiency = new EnumMap<>(MathMode.class);
        double logCorrection = 0;
        for (int k = 0; k < modes.size(); k++) {
            efficiency.put(modes.get(k), Math.exp(theta[k]));
            logCorrection += theta[k] - catalogue[k];
        }
        double correction = Math.exp(logCorrection / modes.size());
        for (MathMode mode : base.peakOpsPerSecond().keySet()) {
            efficiency.putIfAbsent(mode, base.efficiency(mode) * correction);
        }
        double memory = Math.exp(theta[memoryIndex]);
        double overhead = Math.exp(theta[overheadIndex]);
        if (overhead < 1e-15) {
            overhead = 0;
        }
        double[] predicted = new double[usable.size()];
        double[] measured = new double[usable.size()];
        for (int i = 0; i < usable.size(); i++) {
            predicted[i] = predict(usable.get(i).terms, theta, modeIndex[i], memoryIndex, overheadIndex);
            measured[i] = usable.get(i).measured;
        }
        String note = "";
        boolean aboveOne = memory > 1 || efficiency.values().stream().anyMatch(e -> e > 1);
        if (aboveOne) {
            note =
                    "fitted efficiencies above 1: the measurements are faster than the spec's peaks allow, or not in seconds";
        }
        return new Calibration(
                base.id(),
                efficiency,
                EnumSet.copyOf(modes),
                base.computeEfficiency() * correction,
                memory,
                overhead,
                usable.size(),
                skipped,
                Accuracy.mape(predicted, measured),
                METHOD,
                note);
    }

    private static double predict(RooflineTerms terms, double[] theta, int mode, int memoryIndex, int overheadIndex) {
        double compute = (terms.computeSeconds() + terms.dequantSeconds()) / Math.exp(theta[mode]);
        double memory = terms.memorySeconds() / Math.exp(theta[memoryIndex]);
        return Math.max(compute, memory) + Math.exp(theta[overheadIndex]);
    }

    private static double medianRatio(
            List<Point> points, int[] modeIndex, double[] theta, int memoryIndex, int overheadIndex) {
        double[] ratios = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            ratios[i] = points.get(i).measured
                    / predict(points.get(i).terms, theta, modeIndex[i], memoryIndex, overheadIndex);
        }
        Arrays.sort(ratios);
        int n = ratios.length;
        return n % 2 == 1 ? ratios[n / 2] : Math.sqrt(ratios[n / 2 - 1] * ratios[n / 2]);
    }

    /** Predicts {@code points} with a (calibrated) spec and compares; excluded precisions are skipped. */
    public static List<Prediction> predict(DeviceSpec spec, List<Measurement> points) {
        List<Prediction> predictions = new ArrayList<>();
        for (Measurement m : points) {
            LayerCost cost = RooflineModel.predict(spec, m.shape(), m.precision(), m.batch());
            if (cost instanceof LayerCost.Costed costed) {
                predictions.add(new Prediction(m, costed.latencySeconds()));
            }
        }
        return predictions;
    }

    /** Fits on {@code fit}, then reports MAPE and Spearman on {@code heldOut}. */
    public static Validated fitAndValidate(DeviceSpec base, List<Measurement> fit, List<Measurement> heldOut) {
        Calibration calibration = fit(base, fit);
        List<Prediction> predictions = predict(calibration.apply(base), heldOut);
        if (predictions.isEmpty()) {
            throw new IllegalArgumentException(
                    "None of the %d held-out points can be predicted on %s; hold out points of precisions the device runs."
                            .formatted(heldOut.size(), base.id()));
        }
        double[] predicted =
                predictions.stream().mapToDouble(Prediction::predictedSeconds).toArray();
        double[] measured = predictions.stream()
                .mapToDouble(p -> p.measurement().latencySeconds())
                .toArray();
        AccuracyReport report = new AccuracyReport(
                calibration.points(),
                predictions.size(),
                Accuracy.mape(predicted, measured),
                Accuracy.spearman(predicted, measured),
                Accuracy.maxRelativeError(predicted, measured),
                calibration.fitMape());
        return new Validated(calibration, report, predictions);
    }

    /**
     * A deterministic split for the service's accuracy report: distinct layer shapes in first-seen
     * order, even positions to the fit, odd ones held out (all precisions and batches of a shape go
     * to the same side, so held-out shapes are truly unseen).
     */
    public static Split alternateShapes(List<Measurement> points) {
        Map<LayerShape, Integer> position = new LinkedHashMap<>();
        for (Measurement m : points) {
            position.putIfAbsent(m.shape(), position.size());
        }
        List<Measurement> fit = new ArrayList<>();
        List<Measurement> heldOut = new ArrayList<>();
        for (Measurement m : points) {
            (position.get(m.shape()) % 2 == 0 ? fit : heldOut).add(m);
        }
        return new Split(fit, heldOut);
    }

    private record Point(RooflineTerms terms, double measured) {}
}
