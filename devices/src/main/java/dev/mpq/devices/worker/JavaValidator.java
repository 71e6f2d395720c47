package dev.mpq.devices.worker;

import dev.mpq.core.Precision;
import dev.mpq.core.worker.ProfileItem;
import dev.mpq.core.worker.ValidateLayer;
import dev.mpq.devices.measure.Trials;
import dev.mpq.devices.profile.LayerTimer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Validation with the Java kernels, after a warm-up of every precision of the configuration
 * ({@link LayerTimer#warmUp}). Per layer: the layer's weight shape in its precision at the
 * task's batch, timed by {@link LayerTimer} exactly as a profile item (batch-1 weights rotating
 * through buffers larger than the cache); layers of the same kind, shape and precision share one
 * measurement. Total: a timed sequential run of all layers, one product after the other, each with
 * its own weights (random, in its format), median of the trials after warm-up; when the
 * configuration's weights would take more than half the heap, the sum of the per-layer medians
 * instead (the report's environment says which). Output error: {@link NetworkOutputError} when the
 * model file is known.
 */
public final class JavaValidator implements ConfigurationValidator {

    private final LayerTimer timer;
    private final Trials trials;
    private final NetworkOutputError errors;
    private final String environment;
    private final long memoryBudgetBytes;

    /**
     * @param environment the runtime, flags, threads and CPU, reported with every validation
     * @param memoryBudgetBytes the largest weights + activations of a sequential run
     */
    public JavaValidator(
            LayerTimer timer, Trials trials, NetworkOutputError errors, String environment, long memoryBudgetBytes) {
        this.timer = timer;
        this.trials = trials;
        this.errors = errors;
        this.environment = environment;
        this.memoryBudgetBytes = memoryBudgetBytes;
    }

    /**
     * The profile item a layer of a configuration is timed as: {@code batch x macs / weights}
     * activation columns (one per sample for a linear layer, one per output position for a
     * convolution).
     */
    static ProfileItem item(ValidateLayer layer, int batch) {
        long weights = layer.shape().stream().reduce(1L, Math::multiplyExact);
        String key = "%s/%s/%s/b%d"
                .formatted(
                        layer.layerKind(),
                        layer.shape().stream().map(String::valueOf).collect(Collectors.joining("x")),
                        layer.precision(),
                        batch);
        long macs = layer.macs() > 0 ? layer.macs() : weights;
        return new ProfileItem(key, layer.layerKind(), layer.shape(), macs, layer.precision(), batch);
    }

    @Override
    public Optional<Outcome> validate(
            List<ValidateLayer> layers, int batch, Optional<Path> model, BooleanSupplier cancelled) {
        List<String> without = layers.stream()
                .filter(l -> l.shape().size() >= 2 && !LayerTimer.supports(l.precision()))
                .map(l -> l.name() + " (" + l.precision() + ")")
                .toList();
        if (!without.isEmpty()) {
            throw new CannotRun("no Java kernel for %d layers of the configuration, e.g. %s"
                    .formatted(without.size(), without.get(0)));
        }
        List<ValidateLayer> timed =
                layers.stream().filter(l -> l.shape().size() >= 2).toList();
        timer.warmUp(timed.stream().map(l -> item(l, batch)).toList());
        Map<String, Double> byItem = new LinkedHashMap<>();
        Map<String, Double> layerSeconds = new LinkedHashMap<>();
        for (ValidateLayer layer : timed) {
            ProfileItem item = item(layer, batch);
            if (!byItem.containsKey(item.key())) {
                if (cancelled.getAsBoolean()) {
                    return Optional.empty();
                }
                byItem.put(item.key(), timer.measure(item).seconds());
            }
            layerSeconds.put(layer.name(), byItem.get(item.key()));
        }
        double sum =
                layerSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        if (cancelled.getAsBoolean()) {
            return Optional.empty();
        }
        long bytes = timed.stream().mapToLong(l -> bytes(l, batch)).sum();
        double total;
        String totalHow;
        if (bytes <= memoryBudgetBytes) {
            List<LayerTimer.Operation> ops = new ArrayList<>();
            for (ValidateLayer layer : timed) {
                ops.add(timer.prepare(item(layer, batch), false));
            }
            Runnable run = () -> {
                for (LayerTimer.Operation op : ops) {
                    op.run().run();
                }
            };
            double plausible = ops.stream()
                    .mapToDouble(LayerTimer.Operation::plausibleSeconds)
                    .sum();
            Trials.Result r = trials.measureInterleaved(List.of(run), new double[] {plausible})
                    .get(0);
            total = r.medianSeconds();
            totalHow = "total = timed sequential run of the %d layers (median of %d, half-IQR %.3g s)"
                    .formatted(timed.size(), r.trials(), r.halfInterquartileRange());
        } else {
            total = sum;
            totalHow =
                    "total = sum of the per-layer medians (the weights, %.1f GB, exceed the memory budget of a sequential run)"
                            .formatted(bytes / 1e9);
        }
        Double error = null;
        String metric = null;
        if (model.isPresent()) {
            if (cancelled.getAsBoolean()) {
                return Optional.empty();
            }
            Map<String, String> precisions = new LinkedHashMap<>();
            layers.forEach(l -> precisions.put(l.name(), l.precision()));
            try {
                NetworkOutputError.Result r = errors.measure(model.get(), precisions);
                error = r.error();
                metric = r.metric();
            } catch (IllegalArgumentException e) {
                metric = "not measured: " + e.getMessage();
            }
        }
        String env =
                "%s; per layer: LayerTimer median (batch-1 weights rotating through memory), %d distinct items; %s; sum of per-layer medians %.4g s%s"
                        .formatted(
                                environment,
                                byItem.size(),
                                totalHow,
                                sum,
                                timed.size() < layers.size()
                                        ? "; %d layers without a weight matrix not timed"
                                                .formatted(layers.size() - timed.size())
                                        : "");
        return Optional.of(new Outcome(layerSeconds, total, error, metric, env));
    }

    /** Weights (effective bits with scales) plus fp32 activations in and out of one layer. */
    private static long bytes(ValidateLayer layer, int batch) {
        LayerTimer.Shape s = LayerTimer.shapeOf(item(layer, batch));
        double bits = Precision.parse(layer.precision()).weight().bitsPerWeight();
        return (long) ((double) s.rows() * s.cols() * bits / 8) + 4L * s.columns() * (s.rows() + s.cols());
    }
}
