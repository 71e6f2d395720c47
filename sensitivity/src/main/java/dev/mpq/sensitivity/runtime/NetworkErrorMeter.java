package dev.mpq.sensitivity.runtime;

import dev.mpq.sensitivity.calibration.CalibrationSample;
import dev.mpq.sensitivity.calibration.InputTensor;
import dev.mpq.sensitivity.onnx.OnnxModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measures how much a network's output moves when some weights are replaced: runs the calibration
 * samples once in float (the reference), then once per replacement set, and averages an {@link
 * OutputMetric} over the samples.
 *
 * <p>The output is the model's first graph output; with {@code meanPool} a rank-3 output [1, tokens,
 * hidden] is averaged over the tokens whose attention_mask is 1 (sentence embeddings), otherwise it
 * is used flattened.
 */
public final class NetworkErrorMeter {

    private final OnnxRunner runner;
    private final List<CalibrationSample> samples;
    private final OutputMetric metric;
    private final boolean meanPool;
    private final String output;
    private final List<float[]> reference = new ArrayList<>();

    public NetworkErrorMeter(
            OnnxModel model, List<CalibrationSample> samples, OutputMetric metric, boolean meanPool, int threads) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("Measuring output error needs at least one calibration sample.");
        }
        this.runner = new OnnxRunner(model, model.path(), threads);
        this.samples = List.copyOf(samples);
        this.metric = metric;
        this.meanPool = meanPool;
        this.output = model.graph().outputs().get(0).name();
        reference.addAll(outputs(Map.of()));
    }

    public OutputMetric metric() {
        return metric;
    }

    public boolean meanPool() {
        return meanPool;
    }

    public String outputName() {
        return output;
    }

    /** The float network's output vectors, one per sample. */
    public List<float[]> reference() {
        return List.copyOf(reference);
    }

    /** The metric averaged over samples with these tensors replaced (stored layout, by tensor name). */
    public double measure(Map<String, float[]> replacements) {
        List<float[]> changed = outputs(replacements);
        double sum = 0;
        for (int s = 0; s < samples.size(); s++) {
            sum += metric.between(reference.get(s), changed.get(s));
        }
        return sum / samples.size();
    }

    /** The output vectors with these replacements, one per sample. */
    public List<float[]> outputs(Map<String, float[]> replacements) {
        List<float[]> vectors = new ArrayList<>();
        try (OnnxRunner.Session session = runner.open(replacements)) {
            for (CalibrationSample sample : samples) {
                OnnxRunner.Output out = session.run(sample, List.of(output)).get(output);
                vectors.add(meanPool ? pool(out, sample) : out.values());
            }
        }
        return vectors;
    }

    private static float[] pool(OnnxRunner.Output out, CalibrationSample sample) {
        long[] shape = out.shape();
        if (shape.length != 3) {
            return out.values();
        }
        int tokens = (int) shape[1];
        int hidden = (int) shape[2];
        InputTensor mask = sample.input("attention_mask");
        double[] sum = new double[hidden];
        double count = 0;
        for (int t = 0; t < tokens; t++) {
            double m = mask == null || mask.longs() == null ? 1 : mask.longs()[t];
            if (m == 0) {
                continue;
            }
            for (int h = 0; h < hidden; h++) {
                sum[h] += out.values()[t * hidden + h] * m;
            }
            count += m;
        }
        float[] pooled = new float[hidden];
        for (int h = 0; h < hidden; h++) {
            pooled[h] = (float) (sum[h] / Math.max(count, 1e-9));
        }
        return pooled;
    }
}
