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
 *
 * <p>Replacing weights: by default every measurement opens a session with the replacements as
 * {@code addInitializer} overrides (or a rewritten model for Constant-node weights). With {@code
 * weightsAsInputs} the float initializers of rank >= 2 are declared graph inputs in a rewritten
 * copy (an initializer that is also an input is an overridable default), one session stays open,
 * and replacements are fed with each run: no session per measurement. Close the meter to free it.
 *
 * <p>{@link #measure(java.nio.file.Path, Map)} runs a rewrite of the model instead (same tensors by
 * name, e.g. {@code OnnxModelEditor.withQuantizedActivations}) against the same float reference.
 */
public final class NetworkErrorMeter implements AutoCloseable {

    private final OnnxRunner runner;
    private final OnnxModel model;
    private final int threads;
    private final List<CalibrationSample> samples;
    private final OutputMetric metric;
    private final boolean meanPool;
    private final String output;
    private final List<float[]> reference = new ArrayList<>();
    private final java.util.Set<String> fed = new java.util.HashSet<>();
    private java.nio.file.Path rewritten;
    private OnnxRunner fedRunner;
    private OnnxRunner.Session fedSession;
    private final Map<String, ai.onnxruntime.OnnxTensor> originals = new java.util.HashMap<>();

    public NetworkErrorMeter(
            OnnxModel model, List<CalibrationSample> samples, OutputMetric metric, boolean meanPool, int threads) {
        this(model, samples, metric, meanPool, threads, false);
    }

    public NetworkErrorMeter(
            OnnxModel model,
            List<CalibrationSample> samples,
            OutputMetric metric,
            boolean meanPool,
            int threads,
            boolean weightsAsInputs) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("Measuring output error needs at least one calibration sample.");
        }
        this.runner = new OnnxRunner(model, model.path(), threads);
        this.model = model;
        this.threads = threads;
        this.samples = List.copyOf(samples);
        this.metric = metric;
        this.meanPool = meanPool;
        this.output = model.graph().outputs().get(0).name();
        if (weightsAsInputs) {
            List<dev.mpq.sensitivity.onnx.OnnxTensor> weights = model.graph().initializers().stream()
                    .filter(t -> t.info().shape().size() >= 2)
                    .filter(t -> switch (t.info().type()) {
                        case FLOAT32, FLOAT16, BFLOAT16 -> true;
                        default -> false;
                    })
                    .toList();
            try {
                rewritten = java.nio.file.Files.createTempFile("mpq-fed-", ".onnx");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            dev.mpq.sensitivity.onnx.OnnxModelEditor.withInitializersAsInputs(model, weights, rewritten);
            weights.forEach(t -> fed.add(t.name()));
            fedRunner = new OnnxRunner(model, rewritten, threads);
            for (dev.mpq.sensitivity.onnx.OnnxTensor t : weights) {
                originals.put(t.name(), fedRunner.weightTensor(t.name(), model.readFloats(t)));
            }
            fedSession = fedRunner.open(Map.of());
        }
        reference.addAll(outputs(Map.of()));
    }

    @Override
    public void close() {
        originals.values().forEach(ai.onnxruntime.OnnxTensor::close);
        originals.clear();
        if (fedSession != null) {
            fedSession.close();
            fedSession = null;
        }
        if (rewritten != null) {
            try {
                java.nio.file.Files.deleteIfExists(rewritten);
            } catch (java.io.IOException e) {
                // a temporary file left behind is harmless
            }
        }
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

    /**
     * The metric averaged over samples when {@code modelFile}, a rewrite of this meter's model with
     * the same tensor names (e.g. with fake-quantized activations), runs with these tensors replaced,
     * against the float reference of the original model. Opens one session for the measurement.
     */
    public double measure(java.nio.file.Path modelFile, Map<String, float[]> replacements) {
        List<float[]> changed = new ArrayList<>();
        try (OnnxRunner.Session session = new OnnxRunner(model, modelFile, threads).open(replacements)) {
            for (CalibrationSample sample : samples) {
                OnnxRunner.Output out = session.run(sample, List.of(output)).get(output);
                changed.add(meanPool ? pool(out, sample) : out.values());
            }
        }
        double sum = 0;
        for (int s = 0; s < samples.size(); s++) {
            sum += metric.between(reference.get(s), changed.get(s));
        }
        return sum / samples.size();
    }

    /** The output vectors with these replacements, one per sample. */
    public List<float[]> outputs(Map<String, float[]> replacements) {
        List<float[]> vectors = new ArrayList<>();
        if (fedSession != null && fed.containsAll(replacements.keySet())) {
            Map<String, ai.onnxruntime.OnnxTensor> tensors = new java.util.HashMap<>();
            try {
                for (Map.Entry<String, float[]> e : replacements.entrySet()) {
                    tensors.put(e.getKey(), fedRunner.weightTensor(e.getKey(), e.getValue()));
                }
                Map<String, ai.onnxruntime.OnnxTensor> feeds = new java.util.HashMap<>(originals);
                feeds.putAll(tensors);
                for (CalibrationSample sample : samples) {
                    OnnxRunner.Output out =
                            fedSession.run(sample, List.of(output), feeds).get(output);
                    vectors.add(meanPool ? pool(out, sample) : out.values());
                }
            } finally {
                tensors.values().forEach(ai.onnxruntime.OnnxTensor::close);
            }
            return vectors;
        }
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
