package dev.mpq.devices.bench;

import dev.mpq.devices.kernels.Int8Activations;
import dev.mpq.devices.kernels.Int8Products;
import dev.mpq.devices.kernels.Int8Weights;
import dev.mpq.devices.kernels.KernelThreads;
import dev.mpq.devices.kernels.PanelGemm;
import dev.mpq.devices.kernels.RandomWeights;
import dev.mpq.devices.kernels.WeightMatrix;
import dev.mpq.devices.measure.Trials;
import dev.mpq.devices.probe.DeviceProbe;
import dev.mpq.devices.probe.MachineInfo;
import dev.mpq.devices.probe.TriadBandwidth;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * {@code bench kernels}: the machine, its measured memory bandwidth, then every kernel case with
 * its median time and spread, as the JSON object of CONTRACTS.md section 6. Progress and the
 * machine summary go to stderr; the JSON goes to stdout (and to a file with {@code --json}).
 */
public final class KernelBench {

    /** Shapes of the headline rows: a 4096-wide attention projection and a LLaMA-7B MLP matrix. */
    static final int[][] HEADLINE_SHAPES = {{4096, 4096}, {11008, 4096}};

    private final MachineInfo machine;
    private final Trials trials;
    private final Predicate<String> filter;
    private final PrintStream log;
    private final boolean measureBandwidth;
    private final Map<Integer, KernelThreads> teams = new HashMap<>();

    public KernelBench(
            MachineInfo machine, Trials trials, Predicate<String> filter, PrintStream log, boolean measureBandwidth) {
        this.machine = machine;
        this.measureBandwidth = measureBandwidth;
        this.trials = trials;
        this.filter = filter;
        this.log = log;
    }

    /** The default discipline: 0.5 s warm-up, 7 trials of at least 0.1 s. */
    public static Trials defaultTrials() {
        return new Trials(0.5, 7, 0.1);
    }

    /** The cases of the table, all cores unless a row says otherwise. */
    public static List<KernelCase> cases(int cores) {
        List<KernelCase> cases = new ArrayList<>();
        for (int[] shape : HEADLINE_SHAPES) {
            cases.add(new KernelCase("int4-g128", shape[0], shape[1], 1, cores));
            cases.add(new KernelCase("int8:int8", shape[0], shape[1], 1, cores));
        }
        for (String format : RandomWeights.FORMATS) {
            if (!format.equals("int4-g128")) {
                cases.add(new KernelCase(format, 4096, 4096, 1, cores));
            }
        }
        for (int batch : new int[] {64, 128, 256}) {
            cases.add(new KernelCase("int8:int8", 4096, 4096, batch, cores));
        }
        cases.add(new KernelCase("int8:int8", 11008, 4096, 64, cores));
        for (int batch : new int[] {8, 64}) {
            for (String format : RandomWeights.FORMATS) {
                cases.add(new KernelCase(format, 4096, 4096, batch, cores));
            }
        }
        cases.add(new KernelCase("int4-g128", 11008, 4096, 64, cores));
        if (cores > 1) {
            cases.add(new KernelCase("int4-g128", 4096, 4096, 1, 1));
            cases.add(new KernelCase("int8:int8", 4096, 4096, 1, 1));
            cases.add(new KernelCase("int8:int8", 4096, 4096, 64, 1));
            cases.add(new KernelCase("int4-g128", 4096, 4096, 64, 1));
        }
        return cases;
    }

    /** Runs everything and returns the JSON document (a map in key order). */
    public Map<String, Object> run() {
        log.println("bench kernels on " + machine.summary());
        int cores = machine.logicalCores();
        long arrayBytes = 4 * machine.sizingCacheBytes();
        TriadBandwidth.Result before = bandwidth(cores, arrayBytes, "before the kernels");
        List<KernelRow> rows = new ArrayList<>();
        for (KernelCase c : cases(cores)) {
            if (filter.test(c.label())) {
                rows.addAll(runCase(c, before.triadGbs()));
            }
        }
        TriadBandwidth.Result after = bandwidth(cores, arrayBytes, "after the kernels");
        // the better of the two: on a shared machine, the fraction is taken against what memory can do
        TriadBandwidth.Result bandwidth =
                Double.isNaN(after.triadGbs()) || before.triadGbs() >= after.triadGbs() ? before : after;
        double gbs = bandwidth.triadGbs();
        log.printf("bandwidth_gbs = %.2f (the better triad median of the two)%n", gbs);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", machineJson(bandwidth));
        doc.put("bandwidth_gbs", gbs);
        doc.put("bandwidth_read_gbs", bandwidth.readGbs());
        doc.put("bandwidth_spread", bandwidth.triad().relativeSpread());
        doc.put("bandwidth_before_gbs", before.triadGbs());
        doc.put("bandwidth_after_gbs", after.triadGbs());
        doc.put("kernels", rows.stream().map(row -> row.toJson(gbs)).toList());
        teams.values().forEach(KernelThreads::close);
        return doc;
    }

    private TriadBandwidth.Result bandwidth(int cores, long arrayBytes, String when) {
        if (!measureBandwidth) {
            return new TriadBandwidth.Result(Double.NaN, Double.NaN, 0, cores, new Trials.Result(1, 1, 1, 0, 0));
        }
        TriadBandwidth.Result result = TriadBandwidth.measure(team(cores), arrayBytes, trials);
        log.printf(
                "memory bandwidth %s: triad %.2f GB/s (spread %.1f%%), read-only %.2f GB/s, 3 arrays of %d MiB, %d threads%n",
                when,
                result.triadGbs(),
                100 * result.triad().relativeSpread(),
                result.readGbs(),
                result.arrayBytes() >> 20,
                cores);
        return result;
    }

    private void print(KernelRow row) {
        KernelCase c = row.kernelCase();
        log.printf(
                "%-40s %-11s %9.3f ms (%.3f..%.3f)  %7.2f GB/s  %8.2f GOP/s  %.2f of bandwidth%n",
                c.label(),
                row.runtime(),
                row.timing().medianSeconds() * 1e3,
                row.timing().minSeconds() * 1e3,
                row.timing().maxSeconds() * 1e3,
                row.gbs(),
                row.gops(),
                row.gbs() / row.bandwidthGbs());
    }

    /** A prepared operation: what one timed call runs, what it reads, how it is implemented. */
    private record Prepared(
            String runtime, String implementation, Runnable operation, double bytes, AutoCloseable resources) {}

    /**
     * One case: the Java kernel and, where ONNX Runtime has the same product, its sessions,
     * measured with interleaved trials; the Java row carries the best ONNX Runtime figure.
     */
    List<KernelRow> runCase(KernelCase c, double bandwidthGbs) {
        List<Prepared> prepared = new ArrayList<>();
        try {
            Prepared java = prepareJava(c);
            prepared.add(java);
            if (OrtKernels.supports(c.format())) {
                prepared.add(prepareOrt(c, java.bytes(), false));
                if (c.format().equals("int8:int8")) {
                    prepared.add(prepareOrt(c, java.bytes(), true));
                }
            }
            List<Trials.Result> timings = trials.measureInterleaved(
                    prepared.stream().map(Prepared::operation).toList());
            List<KernelRow> rows = new ArrayList<>();
            Double bestOrt = null;
            for (int i = 0; i < prepared.size(); i++) {
                Prepared p = prepared.get(i);
                KernelRow row = new KernelRow(
                        c, p.runtime(), p.implementation(), timings.get(i), p.bytes(), null, bandwidthGbs);
                if (i > 0) {
                    row = row.withOrtGops(row.gops());
                    bestOrt = bestOrt == null ? row.gops() : Math.max(bestOrt, row.gops());
                }
                rows.add(row);
            }
            rows.set(0, rows.get(0).withOrtGops(bestOrt));
            rows.forEach(this::print);
            return rows;
        } finally {
            for (Prepared p : prepared) {
                if (p.resources() != null) {
                    try {
                        p.resources().close();
                    } catch (Exception e) {
                        log.println("could not release " + p.implementation() + ": " + e);
                    }
                }
            }
        }
    }

    private Prepared prepareJava(KernelCase c) {
        KernelThreads team = team(c.threads());
        SplittableRandom random = new SplittableRandom(c.label().hashCode());
        float[] x = RandomWeights.activations(c.batch(), c.cols(), random);
        if (c.format().equals("int8:int8")) {
            Int8Weights first = (Int8Weights) RandomWeights.of("int8", c.rows(), c.cols(), random);
            WeightMatrix[] copies = copies(first, rotation(c, first.storageBytes()));
            byte[] xq = Int8Activations.quantize(x, c.batch(), c.cols()).codes();
            int[] acc = new int[c.batch() * c.rows()];
            int[] next = {0};
            Runnable op = () -> Int8Products.multiplyExact(
                    (Int8Weights) copies[next[0]++ % copies.length], xq, c.batch(), acc, team);
            String impl = c.batch() == 1
                    ? "int32 lanes (bytes widened lane for lane), exact"
                    : "int8 codes in fp32 panels, " + PanelGemm.MR + "x2-vector tiles, exact in 256-column chunks";
            return new Prepared("java", impl, op, first.storageBytes() + (double) c.batch() * c.cols(), null);
        }
        WeightMatrix first = RandomWeights.of(c.format(), c.rows(), c.cols(), random);
        WeightMatrix[] copies = copies(first, rotation(c, first.storageBytes()));
        float[] y = new float[c.batch() * c.rows()];
        int[] next = {0};
        Runnable op = () -> PanelGemm.multiply(copies[next[0]++ % copies.length], x, c.batch(), y, team);
        String impl =
                c.batch() == 1 ? "fused decode + fma" : "decoded fp32 panels, " + PanelGemm.MR + "x2-vector tiles";
        return new Prepared("java", impl, op, first.storageBytes() + 4.0 * c.batch() * c.cols(), null);
    }

    private Prepared prepareOrt(KernelCase c, double bytes, boolean unsignedActivations) {
        SplittableRandom random = new SplittableRandom(c.label().hashCode());
        float[] x = RandomWeights.activations(c.batch(), c.cols(), random);
        String weightFormat = c.format().equals("int8:int8") ? "int8" : c.format();
        WeightMatrix w = RandomWeights.of(weightFormat, c.rows(), c.cols(), random);
        OrtKernels sessions =
                OrtKernels.create(w, x, c.batch(), c.threads(), rotation(c, w.storageBytes()), unsignedActivations);
        return new Prepared("onnxruntime", sessions.operator(), sessions::runNext, bytes, sessions);
    }

    private KernelThreads team(int threads) {
        return teams.computeIfAbsent(threads, KernelThreads::new);
    }

    private Map<String, Object> machineJson(TriadBandwidth.Result bandwidth) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", machine.cpuModel());
        m.put("cores", machine.logicalCores());
        m.put("simd", machine.simdFeatures());
        m.put("last_level_cache_bytes", machine.lastLevelCacheBytes());
        m.put("last_level_cache_source", machine.lastLevelCacheSource());
        m.put("buffer_sizing_cache_bytes", machine.sizingCacheBytes());
        m.put("memory_bytes", machine.memoryBytes());
        m.put("jvm", machine.jvm());
        m.put("jvm_flags", machine.jvmFlags());
        m.put("vector_shape", machine.vectorShape());
        m.put("triad_array_bytes", bandwidth.arrayBytes());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("warmup_seconds", trials.warmupSeconds());
        t.put("trials", trials.trials());
        t.put("min_trial_seconds", trials.minTrialSeconds());
        m.put("discipline", t);
        return m;
    }

    /** Copies so that batch-1 rows stream from memory: together at least 4x the last-level cache. */
    private int rotation(KernelCase c, long storageBytes) {
        if (c.batch() > 1) {
            return 1;
        }
        return (int) Math.max(1, (4 * machine.sizingCacheBytes() + storageBytes - 1) / storageBytes);
    }

    private static WeightMatrix[] copies(WeightMatrix first, int count) {
        WeightMatrix[] copies = new WeightMatrix[count];
        copies[0] = first;
        for (int i = 1; i < count; i++) {
            copies[i] = RandomWeights.copyOf(first);
        }
        return copies;
    }

    /** The JSON text of a document returned by {@link #run}. */
    public static String toJson(Map<String, Object> doc) {
        return Json.write(doc);
    }

    /** Probes this machine. */
    public static MachineInfo probe() {
        return new DeviceProbe().probe();
    }
}
