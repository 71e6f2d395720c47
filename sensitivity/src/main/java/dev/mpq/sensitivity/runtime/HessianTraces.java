package dev.mpq.sensitivity.runtime;

import dev.mpq.sensitivity.onnx.OnnxLayer;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import dev.mpq.sensitivity.profile.ProgressListener;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Hessian traces of the output loss without gradients (ONNX Runtime has none): for the loss L(W) =
 * the meter's output MSE against the float network, L(W) = 0 and its gradient is 0 at the float
 * weights, so for a Rademacher perturbation sigma z, E[L(W + sigma z)] = sigma^2 / 2 x Tr(H) + O(sigma^3);
 * Tr(H_i) is estimated as 2 L(W_i + sigma z) / sigma^2, averaged over probes, with sigma =
 * relativeSigma x rms(W_i). A second-order finite-difference Hutchinson estimate; the result
 * feeds {@link dev.mpq.sensitivity.profile.HawqEstimator} where no training framework's traces are
 * at hand.
 */
public final class HessianTraces {

    private HessianTraces() {}

    public static Map<String, Double> estimate(
            OnnxNetwork network,
            NetworkErrorMeter mseMeter,
            int probes,
            double relativeSigma,
            long seed,
            ProgressListener progress) {
        if (mseMeter.metric() != OutputMetric.MSE) {
            throw new IllegalArgumentException(
                    "Hessian traces need an MSE meter (the loss must be quadratic at the float weights).");
        }
        Map<String, Double> traces = new LinkedHashMap<>();
        int index = 0;
        for (OnnxLayer layer : network.layers()) {
            float[] w = network.model().readFloats(layer.weight());
            double ss = 0;
            for (float v : w) {
                ss += (double) v * v;
            }
            double sigma = relativeSigma * Math.sqrt(ss / w.length);
            double sum = 0;
            for (int p = 0; p < probes; p++) {
                Random random = new Random(seed * 1_000_003L + index * 1_009L + p);
                float[] perturbed = new float[w.length];
                for (int i = 0; i < w.length; i++) {
                    perturbed[i] = (float) (w[i] + (random.nextBoolean() ? sigma : -sigma));
                }
                double loss = mseMeter.measure(Map.of(layer.weight().name(), perturbed));
                sum += 2 * loss / (sigma * sigma);
            }
            traces.put(layer.name(), sum / probes);
            progress.progress(++index, network.layers().size(), layer.name());
        }
        return traces;
    }
}
