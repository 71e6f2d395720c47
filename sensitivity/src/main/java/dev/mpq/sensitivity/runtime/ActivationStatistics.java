package dev.mpq.sensitivity.runtime;

import dev.mpq.core.LayerKind;
import dev.mpq.sensitivity.calibration.CalibrationSample;
import dev.mpq.sensitivity.calibration.InputTensor;
import dev.mpq.sensitivity.onnx.OnnxGraph;
import dev.mpq.sensitivity.onnx.OnnxLayer;
import dev.mpq.sensitivity.onnx.OnnxModelEditor;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import dev.mpq.sensitivity.onnx.OnnxValueInfo;
import dev.mpq.sensitivity.profile.JsonText;
import dev.mpq.sensitivity.profile.ProgressListener;
import dev.mpq.sensitivity.weights.DataType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-input-channel second moments E[x_c^2] of each layer's input activation (the diagonal of the
 * layer Hessian X^T X up to a constant; llama.cpp's imatrix holds the same), collected by running
 * the network on calibration samples with the layers' inputs added as graph outputs.
 *
 * <p>Channels: the last axis for MatMul/Gemm inputs ([..., in]), axis 1 for Conv inputs ([N, C,
 * ...]); the mean runs over every other position (tokens, pixels, samples). Layers inside If/Loop
 * subgraphs have no statistics (their inputs are not graph values).
 *
 * @param byLayer E[x_c^2] per layer name
 * @param samples how many samples were run
 * @param gramByLayer full second moments E[x x^T] of linear layers' inputs (in x in, row-major)
 * @param pooledGramByLayer second moments E_samples[xbar xbar^T] of each sample's token-mean input
 * @param relativeMeansByLayer per layer, one vector xtilde_s per sample (samples x in, row-major):
 *     the token mean of x_t / ||y_t||, y_t = the layer's own output at token t. Their second moment
 *     G = mean_s xtilde_s xtilde_s^T makes sum_r d_r G d_r^T the expected squared output error of
 *     each token relative to the token's output, pooled like the output; kept as vectors (rank <=
 *     samples) so that the penalty costs rows x in x samples, not rows x in^2
 */
public record ActivationStatistics(
        Map<String, double[]> byLayer,
        int samples,
        Map<String, double[]> gramByLayer,
        Map<String, double[]> pooledGramByLayer,
        Map<String, double[]> relativeMeansByLayer) {

    public ActivationStatistics {
        byLayer = Collections.unmodifiableMap(new LinkedHashMap<>(byLayer));
        gramByLayer = Collections.unmodifiableMap(new LinkedHashMap<>(gramByLayer == null ? Map.of() : gramByLayer));
        pooledGramByLayer = Collections.unmodifiableMap(
                new LinkedHashMap<>(pooledGramByLayer == null ? Map.of() : pooledGramByLayer));
        relativeMeansByLayer = Collections.unmodifiableMap(
                new LinkedHashMap<>(relativeMeansByLayer == null ? Map.of() : relativeMeansByLayer));
    }

    public ActivationStatistics(Map<String, double[]> byLayer, int samples) {
        this(byLayer, samples, Map.of(), Map.of(), Map.of());
    }

    public ActivationStatistics(
            Map<String, double[]> byLayer,
            int samples,
            Map<String, double[]> gramByLayer,
            Map<String, double[]> pooledGramByLayer) {
        this(byLayer, samples, gramByLayer, pooledGramByLayer, Map.of());
    }

    /** Runs the samples and accumulates the statistics of every layer's input. */
    public static ActivationStatistics collect(
            OnnxNetwork network, List<CalibrationSample> samples, int threads, ProgressListener progress) {
        return collect(network, samples, threads, false, progress);
    }

    /**
     * As above; with {@code full} also the full second-moment matrices E[x x^T] of linear layers'
     * inputs (in x in), those of the token-mean of each sample's input, and the relative ones of
     * {@link #relativeMeansByLayer} (the layers' outputs are added as graph outputs for them).
     */
    public static ActivationStatistics collect(
            OnnxNetwork network,
            List<CalibrationSample> samples,
            int threads,
            boolean full,
            ProgressListener progress) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("Activation statistics need at least one calibration sample.");
        }
        OnnxGraph main = network.model().graph();
        java.util.Set<String> graphValues = new java.util.HashSet<>();
        main.nodes().forEach(n -> graphValues.addAll(n.outputs()));
        java.util.Set<String> graphInputs = new java.util.HashSet<>();
        main.inputs().forEach(v -> graphInputs.add(v.name()));
        java.util.Set<String> graphOutputs = new java.util.HashSet<>();
        main.outputs().forEach(v -> graphOutputs.add(v.name()));
        Map<String, Integer> extra = new LinkedHashMap<>();
        Map<String, List<OnnxLayer>> readers = new LinkedHashMap<>();
        Map<OnnxLayer, String> layerOutputs = new LinkedHashMap<>();
        for (OnnxLayer layer : network.layers()) {
            String input = layer.dataInput();
            if (!graphValues.contains(input) && !graphInputs.contains(input)) {
                continue; // inside a subgraph
            }
            readers.computeIfAbsent(input, k -> new ArrayList<>()).add(layer);
            DataType t = layer.weight().info().type();
            int type = t == DataType.FLOAT16 ? 10 : t == DataType.BFLOAT16 ? 16 : 1;
            if (graphValues.contains(input) && !graphOutputs.contains(input)) {
                extra.put(input, type);
            }
            String output = layer.node().outputs().isEmpty()
                    ? null
                    : layer.node().outputs().get(0);
            if (full && layer.spec().kind() != LayerKind.CONV && output != null && graphValues.contains(output)) {
                layerOutputs.put(layer, output);
                if (!graphOutputs.contains(output)) {
                    extra.put(output, type);
                }
            }
        }
        Path rewritten = null;
        try {
            rewritten = Files.createTempFile("mpq-activations-", ".onnx");
            OnnxModelEditor.withExtraOutputs(network.model(), extra, rewritten);
            OnnxRunner runner = new OnnxRunner(network.model(), rewritten, threads);
            Map<String, double[]> sums = new HashMap<>();
            Map<String, Long> counts = new HashMap<>();
            Map<String, double[]> grams = new HashMap<>();
            Map<String, double[]> pooled = new HashMap<>();
            Map<String, List<double[]>> relative = new HashMap<>();
            List<String> wanted = new ArrayList<>(readers.keySet());
            wanted.removeIf(graphInputs::contains);
            for (String output : layerOutputs.values()) {
                if (!wanted.contains(output)) {
                    wanted.add(output);
                }
            }
            try (OnnxRunner.Session session = runner.open(Map.of())) {
                int done = 0;
                for (CalibrationSample sample : samples) {
                    Map<String, OnnxRunner.Output> outs = session.run(sample, wanted);
                    for (Map.Entry<String, List<OnnxLayer>> e : readers.entrySet()) {
                        OnnxRunner.Output o = outs.get(e.getKey());
                        if (o == null) {
                            InputTensor in = sample.input(e.getKey());
                            if (in == null || in.floats() == null) {
                                continue;
                            }
                            o = new OnnxRunner.Output(in.floats(), in.shape());
                        }
                        boolean conv = e.getValue().get(0).spec().kind() == LayerKind.CONV;
                        accumulate(e.getKey(), o, conv, sums, counts);
                        if (full && !conv) {
                            accumulateGram(e.getKey(), o, grams, pooled);
                            for (OnnxLayer layer : e.getValue()) {
                                OnnxRunner.Output y =
                                        layerOutputs.containsKey(layer) ? outs.get(layerOutputs.get(layer)) : null;
                                if (y != null) {
                                    accumulateRelative(layer.name(), o, y, relative);
                                }
                            }
                        }
                    }
                    progress.progress(++done, samples.size(), "calibration sample");
                }
            }
            Map<String, double[]> byLayer = new LinkedHashMap<>();
            Map<String, double[]> gramByLayer = new LinkedHashMap<>();
            Map<String, double[]> pooledByLayer = new LinkedHashMap<>();
            Map<String, double[]> relativeByLayer = new LinkedHashMap<>();
            for (OnnxLayer layer : network.layers()) {
                List<double[]> rel = relative.get(layer.name());
                if (rel != null && rel.size() == samples.size()) {
                    int n = rel.get(0).length;
                    double[] all = new double[rel.size() * n];
                    for (int s = 0; s < rel.size(); s++) {
                        System.arraycopy(rel.get(s), 0, all, s * n, n);
                    }
                    relativeByLayer.put(layer.name(), all);
                }
                double[] g = grams.get(layer.dataInput());
                if (g != null) {
                    long n = counts.get(layer.dataInput());
                    gramByLayer.put(layer.name(), scaled(g, 1.0 / n));
                    pooledByLayer.put(layer.name(), scaled(pooled.get(layer.dataInput()), 1.0 / samples.size()));
                }
                double[] sum = sums.get(layer.dataInput());
                if (sum == null) {
                    continue;
                }
                long n = counts.get(layer.dataInput());
                double[] mean = new double[sum.length];
                for (int c = 0; c < sum.length; c++) {
                    mean[c] = sum[c] / n;
                }
                byLayer.put(layer.name(), mean);
            }
            return new ActivationStatistics(byLayer, samples.size(), gramByLayer, pooledByLayer, relativeByLayer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (rewritten != null) {
                try {
                    Files.deleteIfExists(rewritten);
                } catch (IOException ignored) {
                    // temporary file
                }
            }
        }
    }

    private static double[] scaled(double[] a, double f) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] * f;
        }
        return r;
    }

    private static void accumulateGram(
            String name, OnnxRunner.Output o, Map<String, double[]> grams, Map<String, double[]> pooled) {
        long[] shape = o.shape();
        int n = (int) shape[shape.length - 1];
        float[] v = o.values();
        int rows = v.length / n;
        double[] g = grams.computeIfAbsent(name, k -> new double[n * n]);
        double[] p = pooled.computeIfAbsent(name, k -> new double[n * n]);
        double[] mean = new double[n];
        for (int r = 0; r < rows; r++) {
            int base = r * n;
            for (int i = 0; i < n; i++) {
                double xi = v[base + i];
                mean[i] += xi / rows;
                int gi = i * n;
                for (int j = 0; j < n; j++) {
                    g[gi + j] += xi * v[base + j];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i * n + j] += mean[i] * mean[j];
            }
        }
    }

    /**
     * Adds one sample's xtilde = the mean over tokens t of x_t / ||y_t|| (tokens whose output is all
     * zero are left out of the sum, not of the count).
     */
    private static void accumulateRelative(
            String name, OnnxRunner.Output x, OnnxRunner.Output y, Map<String, List<double[]>> relative) {
        long[] shape = x.shape();
        int n = (int) shape[shape.length - 1];
        float[] v = x.values();
        int rows = v.length / n;
        float[] out = y.values();
        if (rows == 0 || out.length % rows != 0) {
            throw new IllegalStateException(
                    "Layer %s: %d input rows but %d output values.".formatted(name, rows, out.length));
        }
        int m = out.length / rows;
        double[] mean = new double[n];
        for (int r = 0; r < rows; r++) {
            double norm2 = 0;
            for (int j = 0; j < m; j++) {
                double o = out[r * m + j];
                norm2 += o * o;
            }
            if (!(norm2 > 0)) {
                continue;
            }
            double f = 1.0 / (Math.sqrt(norm2) * rows);
            for (int i = 0; i < n; i++) {
                mean[i] += v[r * n + i] * f;
            }
        }
        relative.computeIfAbsent(name, k -> new ArrayList<>()).add(mean);
    }

    private static void accumulate(
            String name, OnnxRunner.Output o, boolean conv, Map<String, double[]> sums, Map<String, Long> counts) {
        long[] shape = o.shape();
        float[] v = o.values();
        int channels;
        int inner;
        if (conv) {
            channels = (int) shape[1];
            inner = 1;
            for (int d = 2; d < shape.length; d++) {
                inner *= (int) shape[d];
            }
        } else {
            channels = (int) shape[shape.length - 1];
            inner = 1;
        }
        double[] sum = sums.computeIfAbsent(name, k -> new double[channels]);
        if (sum.length != channels) {
            throw new IllegalStateException("Activation %s changed its channel count from %d to %d between samples."
                    .formatted(name, sum.length, channels));
        }
        if (conv) {
            int outer = v.length / (channels * inner);
            for (int n = 0; n < outer; n++) {
                for (int c = 0; c < channels; c++) {
                    int base = (n * channels + c) * inner;
                    double s = 0;
                    for (int i = 0; i < inner; i++) {
                        s += (double) v[base + i] * v[base + i];
                    }
                    sum[c] += s;
                }
            }
            counts.merge(name, (long) outer * inner, Long::sum);
        } else {
            int rows = v.length / channels;
            for (int r = 0; r < rows; r++) {
                int base = r * channels;
                for (int c = 0; c < channels; c++) {
                    sum[c] += (double) v[base + c] * v[base + c];
                }
            }
            counts.merge(name, (long) rows, Long::sum);
        }
    }

    /**
     * The per-column weights of a layer's weight matrix (rows = outputs, cols = inputs): E[x_c^2] for
     * linear layers; for convs column c reads channel c / kernelPositions (for grouped convs, the mean
     * over groups of that channel within each group).
     */
    public double[] columnWeights(OnnxLayer layer, int cols) {
        double[] channel = byLayer.get(layer.name());
        if (channel == null) {
            return null;
        }
        if (layer.spec().kind() != LayerKind.CONV) {
            if (channel.length != cols) {
                throw new IllegalArgumentException("Layer %s has %d inputs but its statistics have %d channels."
                        .formatted(layer.name(), cols, channel.length));
            }
            return channel;
        }
        List<Long> shape = layer.spec().shape();
        int perGroup = (int) (long) shape.get(1);
        int kernel = cols / perGroup;
        int groups = Math.max(1, channel.length / perGroup);
        double[] w = new double[cols];
        for (int c = 0; c < cols; c++) {
            int ch = c / kernel;
            double s = 0;
            for (int g = 0; g < groups; g++) {
                s += channel[Math.min(channel.length - 1, g * perGroup + ch)];
            }
            w[c] = s / groups;
        }
        return w;
    }

    /** JSON: {"samples": n, "layers": {"name": [E[x_c^2]...]}} (what {@link #fromJson} reads back). */
    public String toJson() {
        StringBuilder b = new StringBuilder("{\"samples\":").append(samples).append(",\"layers\":{");
        boolean first = true;
        for (Map.Entry<String, double[]> e : byLayer.entrySet()) {
            b.append(first ? "" : ",")
                    .append('\n')
                    .append(JsonText.quote(e.getKey()))
                    .append(":[");
            for (int i = 0; i < e.getValue().length; i++) {
                b.append(i == 0 ? "" : ",").append(JsonText.number(e.getValue()[i]));
            }
            b.append(']');
            first = false;
        }
        return b.append("}}\n").toString();
    }

    /** Reads uploaded statistics (the {@link #toJson} form). */
    @SuppressWarnings("unchecked")
    public static ActivationStatistics fromJson(String json) {
        Object root = JsonText.parse(json);
        if (!(root instanceof Map<?, ?> map) || !(map.get("layers") instanceof Map<?, ?> layers)) {
            throw new IllegalArgumentException(
                    "Activation statistics need {\"layers\": {\"layer\": [E[x^2] per input channel]}}.");
        }
        Map<String, double[]> byLayer = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) layers).entrySet()) {
            if (!(e.getValue() instanceof List<?> values)) {
                throw new IllegalArgumentException(
                        "Statistics of layer '%s' must be a list of numbers.".formatted(e.getKey()));
            }
            double[] v = new double[values.size()];
            for (int i = 0; i < v.length; i++) {
                if (!(values.get(i) instanceof Double d) || !(d >= 0) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException("Statistics of layer '%s' at %d: %s is not a finite number >= 0."
                            .formatted(e.getKey(), i, values.get(i)));
                }
                v[i] = d;
            }
            byLayer.put(e.getKey(), v);
        }
        int samples = map.get("samples") instanceof Double d ? d.intValue() : 0;
        return new ActivationStatistics(byLayer, samples);
    }

    /** Names of the main graph's inputs (for messages). */
    static List<String> inputNames(OnnxGraph graph) {
        return graph.inputs().stream().map(OnnxValueInfo::name).toList();
    }
}
