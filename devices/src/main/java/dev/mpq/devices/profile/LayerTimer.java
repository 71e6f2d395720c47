package dev.mpq.devices.profile;

import dev.mpq.core.worker.Measurement;
import dev.mpq.core.worker.ProfileItem;
import dev.mpq.devices.kernels.Int8Activations;
import dev.mpq.devices.kernels.Int8Products;
import dev.mpq.devices.kernels.Int8Weights;
import dev.mpq.devices.kernels.KernelThreads;
import dev.mpq.devices.kernels.PanelGemm;
import dev.mpq.devices.kernels.RandomWeights;
import dev.mpq.devices.kernels.WeightMatrix;
import dev.mpq.devices.measure.Trials;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Latency of one layer shape in one precision at one batch: what a worker's profile task measures.
 * A layer with weights {@code [out, in, ...]} is timed as the product of an {@code out x (in * ...)}
 * matrix with {@code batch x macs / weights} activation columns (1 for a linear layer; the output
 * positions of a convolution, as in im2col), on random weights of the precision's format. Batch-1
 * items rotate weight copies through at least 4x the sizing cache, as {@code bench kernels} does.
 */
public final class LayerTimer {

    /** Matrix-matrix columns are capped here (a 224x224 convolution would otherwise ask for 50,176). */
    public static final int MAX_COLUMNS = 4096;

    private final KernelThreads threads;
    private final Trials trials;
    private final long sizingCacheBytes;

    public LayerTimer(KernelThreads threads, Trials trials, long sizingCacheBytes) {
        this.threads = threads;
        this.trials = trials;
        this.sizingCacheBytes = sizingCacheBytes;
    }

    /** Precisions the Java kernels run: the weight formats of {@link RandomWeights#FORMATS} and {@code int8:int8}. */
    public static boolean supports(String precision) {
        return precision.equals("int8:int8") || RandomWeights.FORMATS.contains(precision);
    }

    /** The matrix an item is timed as: rows, reduction length, activation columns. */
    public record Shape(int rows, int cols, int columns) {}

    /** How {@code item} maps to a matrix product. */
    public static Shape shapeOf(ProfileItem item) {
        List<Long> shape = item.shape();
        if (shape.isEmpty() || shape.stream().anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException(
                    "Profile item %s has shape %s; give the weight shape [out, in, ...] with positive sizes."
                            .formatted(item.key(), shape));
        }
        long rows = shape.get(0);
        long cols = 1;
        for (int i = 1; i < shape.size(); i++) {
            cols *= shape.get(i);
        }
        long weights = rows * cols;
        long perSample = Math.max(1, item.macs() / weights);
        long columns = Math.min(MAX_COLUMNS, (long) Math.max(1, item.batch()) * perSample);
        if (weights > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("Profile item %s has %d weights; one Java array holds at most 2^31."
                    .formatted(item.key(), weights));
        }
        return new Shape((int) rows, (int) cols, (int) columns);
    }

    /** Times {@code item} with the Java kernels. */
    public Measurement measure(ProfileItem item) {
        Operation op = prepare(item, true);
        Trials.Result r = trials.measureInterleaved(List.of(op.run()), new double[] {op.plausibleSeconds()})
                .get(0);
        return new Measurement(
                item.key(), r.medianSeconds(), r.halfInterquartileRange(), r.trials(), "java", threads.threads());
    }

    /**
     * One product of an item, ready to run: random weights of the precision's format (seeded by the
     * item's key), random activations, the output buffer.
     *
     * @param run one call of the kernel
     * @param plausibleSeconds a generous bound on one call once compiled (2 x MACs at 1 GOP/s): the
     *     warm-up goes on while a call takes longer
     * @param weightBytes bytes of one copy of the weights with their scales
     */
    public record Operation(Runnable run, double plausibleSeconds, long weightBytes) {}

    /**
     * The operation {@link #measure} times. With {@code rotate}, batch-1 items cycle through copies of
     * the weights totalling at least 4x the sizing cache (so the weights come from memory); without,
     * one copy (as a layer of a network run in sequence sees them).
     */
    public Operation prepare(ProfileItem item, boolean rotate) {
        if (!supports(item.precision())) {
            throw new IllegalArgumentException(
                    "Precision %s of item %s has no Java kernel; supported: int8:int8 and %s."
                            .formatted(item.precision(), item.key(), RandomWeights.FORMATS));
        }
        Shape s = shapeOf(item);
        SplittableRandom random = new SplittableRandom(item.key().hashCode());
        float[] x = RandomWeights.activations(s.columns(), s.cols(), random);
        String format = item.precision().equals("int8:int8") ? "int8" : item.precision();
        WeightMatrix first = RandomWeights.of(format, s.rows(), s.cols(), random);
        WeightMatrix[] copies = new WeightMatrix[rotate ? rotation(s, first.storageBytes()) : 1];
        copies[0] = first;
        for (int i = 1; i < copies.length; i++) {
            copies[i] = RandomWeights.copyOf(first);
        }
        int[] next = {0};
        Runnable op;
        if (item.precision().equals("int8:int8")) {
            byte[] xq = Int8Activations.quantize(x, s.columns(), s.cols()).codes();
            int[] acc = new int[s.columns() * s.rows()];
            op = () -> Int8Products.multiplyExact(
                    (Int8Weights) copies[next[0]++ % copies.length], xq, s.columns(), acc, threads);
        } else {
            float[] y = new float[s.columns() * s.rows()];
            op = () -> PanelGemm.multiply(copies[next[0]++ % copies.length], x, s.columns(), y, threads);
        }
        double plausible = 2.0 * s.rows() * s.cols() * s.columns() / 1e9;
        return new Operation(op, plausible, first.storageBytes());
    }

    /**
     * Runs the kernel of every distinct (precision, activation columns) of {@code items} briefly on a
     * matrix of at most 512 x 1024, before any of them is timed. The kernels share call sites (the
     * panel decode, the row products), so the first format run compiles code that later formats
     * deoptimize: without this, the first items of a task are timed with code that is still being
     * recompiled (up to 17x slower on a loaded 2-core machine, see the README), and items depend on
     * what ran before them. Unsupported items are ignored.
     */
    public void warmUp(List<ProfileItem> items) {
        Trials quick = new Trials(Math.min(0.3, trials.warmupSeconds()), 1, Math.min(0.01, trials.minTrialSeconds()));
        java.util.Map<String, ProfileItem> distinct = new java.util.LinkedHashMap<>();
        for (ProfileItem item : items) {
            if (!supports(item.precision())) {
                continue;
            }
            Shape s = shapeOf(item);
            long rows = Math.min(s.rows(), 512);
            long cols = Math.min(s.cols(), 1024);
            int columns = Math.min(s.columns(), 64);
            String key = "warm-up/" + item.precision() + "/c" + columns;
            distinct.putIfAbsent(
                    key, new ProfileItem(key, "linear", List.of(rows, cols), rows * cols, item.precision(), columns));
        }
        for (ProfileItem item : distinct.values()) {
            Operation op = prepare(item, false);
            quick.measureInterleaved(List.of(op.run()), new double[] {op.plausibleSeconds()});
        }
    }

    /** Empty when the item is unsupported, instead of an exception. */
    public Optional<Measurement> tryMeasure(ProfileItem item) {
        return supports(item.precision()) ? Optional.of(measure(item)) : Optional.empty();
    }

    private int rotation(Shape s, long storageBytes) {
        if (s.columns() > 1) {
            return 1;
        }
        return (int) Math.max(1, Math.min(64, (4 * sizingCacheBytes + storageBytes - 1) / storageBytes));
    }
}
