package dev.mpq.sensitivity.profile;

import dev.mpq.core.NumericFormat;
import dev.mpq.sensitivity.format.Quantizer;
import dev.mpq.sensitivity.onnx.OnnxLayer;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import dev.mpq.sensitivity.onnx.WeightMatrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a {@link LayerPenaltyFunction} over every layer and format of a network: one layer's weights
 * are in memory at a time (read, transposed, quantized in every format, dropped), formats are
 * spread over {@code threads} workers, each with its own scratch buffer.
 */
public final class WeightPenalties {

    private WeightPenalties() {}

    /** Penalties per layer (network order), each a map format id -> penalty in {@code formats} order. */
    public static List<LayerPenalties> compute(
            OnnxNetwork network,
            List<NumericFormat> formats,
            LayerPenaltyFunction function,
            int threads,
            ProgressListener progress) {
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("No formats to profile; give at least one format id.");
        }
        List<Quantizer> quantizers = formats.stream().map(Quantizer::of).toList();
        int workers = Math.max(1, Math.min(threads, formats.size()));
        ExecutorService pool = workers > 1 ? Executors.newFixedThreadPool(workers, daemon()) : null;
        // buffers per distinct layer size: [0] stored layout, [1] matrix, [2..] one scratch per worker
        Map<Integer, float[][]> buffersBySize = new java.util.HashMap<>();
        try {
            List<LayerPenalties> result = new ArrayList<>();
            int done = 0;
            for (OnnxLayer layer : network.layers()) {
                int size = (int) layer.weight().info().elementCount();
                float[][] all = buffersBySize.computeIfAbsent(size, n -> new float[workers + 2][n]);
                WeightMatrix m = layer.matrix(network.model(), all[0], all[1]);
                float[][] buffers = java.util.Arrays.copyOfRange(all, 2, all.length);
                double[] values = new double[quantizers.size()];
                if (pool == null) {
                    for (int f = 0; f < quantizers.size(); f++) {
                        values[f] = function.penalty(layer, m, quantizers.get(f), buffers[0]);
                    }
                } else {
                    List<Future<?>> futures = new ArrayList<>();
                    for (int k = 0; k < workers; k++) {
                        int worker = k;
                        futures.add(pool.submit(() -> {
                            for (int f = worker; f < quantizers.size(); f += workers) {
                                values[f] = function.penalty(layer, m, quantizers.get(f), buffers[worker]);
                            }
                        }));
                    }
                    for (Future<?> future : futures) {
                        join(future);
                    }
                }
                Map<String, Double> penalties = new LinkedHashMap<>();
                for (int f = 0; f < formats.size(); f++) {
                    penalties.put(formats.get(f).id(), values[f]);
                }
                result.add(new LayerPenalties(
                        layer.name(),
                        layer.spec().kind().id(),
                        layer.spec().shape(),
                        layer.spec().parameters(),
                        penalties));
                progress.progress(++done, network.layers().size(), layer.name());
            }
            return result;
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private static void join(Future<?> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while computing penalties", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "mpq-penalties");
            t.setDaemon(true);
            return t;
        };
    }
}
