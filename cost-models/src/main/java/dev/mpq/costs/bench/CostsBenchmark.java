package dev.mpq.costs.bench;

import dev.mpq.core.BitConfiguration;
import dev.mpq.core.LayerSpec;
import dev.mpq.core.Precision;
import dev.mpq.costs.Calibration;
import dev.mpq.costs.Calibrator;
import dev.mpq.costs.ConfigurationCost;
import dev.mpq.costs.CostRequest;
import dev.mpq.costs.CostTable;
import dev.mpq.costs.DeviceCatalog;
import dev.mpq.costs.DeviceModel;
import dev.mpq.costs.DeviceSpec;
import dev.mpq.costs.LayerAccounting;
import dev.mpq.costs.LayerShape;
import dev.mpq.costs.MeasuredTable;
import dev.mpq.costs.Measurement;
import dev.mpq.costs.hawq.HawqData;
import dev.mpq.costs.hawq.HawqResNet;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench costs}: the cost models checked against published HAWQ-V3 data (CONTRACTS.md section
 * 6). Nothing here is fitted on published end-to-end numbers: the only fit is the T4 calibration on
 * the per-layer ILP latencies of the ResNet50 layers with even index.
 *
 * <ol>
 *   <li>Sizes: exact bytes (packed elements + one fp32 scale per output channel, FC bias at 8 bits)
 *       of every published configuration against the model zoo's size. The published sizes are in
 *       MiB (2^20 bytes; uniform and fp32 rows match that reading to 0.1 MB), so they are converted
 *       to bytes before the difference is expressed in MB = 10^6 bytes.
 *   <li>Latency: the T4 catalogue spec with 32-bit kernel outputs (the AutoTVM log's {@code
 *       out_dtype} is int32), calibrated on even ILP layers (INT4 and INT8, batch 8; the ILP
 *       latencies are read as milliseconds, an assumption: their unit is undocumented and only
 *       ratios are used), evaluated on odd layers.
 *   <li>Speed-ups: for each published configuration with a published batch-8 latency (uniform INT8
 *       itself excluded: its ratio is 1 by definition), the ratio configuration / uniform INT8 from
 *       the calibrated model over every layer (first conv and FC included), and from the plain sum
 *       of the ILP per-layer latencies, against the published ratio.
 * </ol>
 */
public final class CostsBenchmark {

    /** Batch of HAWQ-V3's T4 measurements. */
    public static final int BATCH = 8;

    /** The unit assumed for the ILP per-layer latencies (undocumented; only ratios matter). */
    public static final double ILP_LATENCY_UNIT_SECONDS = 1e-3;

    static final List<String> MODELS = List.of("resnet18", "resnet50");
    static final List<Precision> PRECISIONS = List.of(Precision.parse("int4:int4"), Precision.parse("int8:int8"));

    private CostsBenchmark() {}

    /** A published size and ours. */
    public record SizeCheck(
            String model,
            String scheme,
            long bytes,
            long elementBytes,
            long scaleBytes,
            long biasBytes,
            double publishedMib,
            double differenceMb,
            double differenceIfDecimalMb) {}

    /** A published latency ratio and our predictions of it. */
    public record SpeedupCheck(
            String model,
            String scheme,
            double publishedRatio,
            double modelRatio,
            double sumRatio,
            double tableAndModelRatio,
            int measuredLayers,
            int predictedLayers) {

        public double modelError() {
            return modelRatio / publishedRatio - 1;
        }

        public double sumError() {
            return sumRatio / publishedRatio - 1;
        }

        public double tableAndModelError() {
            return tableAndModelRatio / publishedRatio - 1;
        }
    }

    /** Everything the benchmark found; {@link #result()} holds the contract's fields. */
    public record Report(
            CostsBenchResult result,
            List<SizeCheck> sizes,
            Calibrator.Validated latency,
            DeviceSpec calibratedT4,
            List<SpeedupCheck> speedups) {

        /** A readable summary (printed to stderr by {@link #main}). */
        public String describe() {
            StringBuilder b = new StringBuilder();
            b.append("Model sizes (ours: exact bytes; published read as MiB):\n");
            for (SizeCheck s : sizes) {
                b.append(String.format(
                        Locale.ROOT,
                        "  %-8s %-15s ours %7.3f MB (elements %7.3f, scales %.3f, bias %.3f)  published %5.1f MiB = %7.3f MB  diff %+.3f MB (if MB: %+.3f)%n",
                        s.model(),
                        s.scheme(),
                        s.bytes() / 1e6,
                        s.elementBytes() / 1e6,
                        s.scaleBytes() / 1e6,
                        s.biasBytes() / 1e6,
                        s.publishedMib(),
                        s.publishedMib() * 1.048576,
                        s.differenceMb(),
                        s.differenceIfDecimalMb()));
            }
            Calibration c = latency.calibration();
            b.append(String.format(
                    Locale.ROOT,
                    "T4 calibration on %d points (ResNet50 even layers, INT4+INT8): efficiency %s, memory %.4f, overhead %.3g s (ILP units read as ms); fit MAPE %.4f%n",
                    c.points(),
                    c.modeEfficiency().entrySet().stream()
                            .filter(e -> c.fittedModes().contains(e.getKey()))
                            .map(e -> String.format(Locale.ROOT, "%s=%.4f", e.getKey(), e.getValue()))
                            .toList(),
                    c.memoryEfficiency(),
                    c.overheadSeconds(),
                    c.fitMape()));
            var r = latency.report();
            b.append(String.format(
                    Locale.ROOT,
                    "Held out (odd layers, %d points): MAPE %.4f, Spearman %.4f, max relative error %.4f%n",
                    r.heldOutPoints(),
                    r.mape(),
                    r.spearman(),
                    r.maxRelativeError()));
            b.append("Latency ratio configuration / uniform INT8 (batch 8, T4):\n");
            for (SpeedupCheck s : speedups) {
                b.append(String.format(
                        Locale.ROOT,
                        "  %-8s %-9s published %.4f  model %.4f (%+.4f)  sum %.4f (%+.4f)  table+model %.4f (%+.4f)%n",
                        s.model(),
                        s.scheme(),
                        s.publishedRatio(),
                        s.modelRatio(),
                        s.modelError(),
                        s.sumRatio(),
                        s.sumError(),
                        s.tableAndModelRatio(),
                        s.tableAndModelError()));
            }
            return b.toString();
        }
    }

    /** The T4 as HAWQ-V3's TVM kernels use it: catalogue figures, int32 outputs written by every layer. */
    public static DeviceSpec t4ForHawq() {
        return DeviceCatalog.byId("t4").apply(DeviceSpec.Overrides.none().withOutputBits(32));
    }

    /** The ILP per-layer latencies as measurements (INT4 and INT8 per layer), in {@code layer order}. */
    public static List<Measurement> ilpMeasurements(HawqResNet.Model model, List<HawqData.IlpLayer> ilp) {
        List<Measurement> points = new ArrayList<>();
        for (HawqData.IlpLayer row : ilp) {
            LayerSpec layer = model.network().layer(row.name()).orElseThrow();
            LayerShape shape = LayerShape.of(layer, model.strides().get(layer.name()));
            for (int bits : new int[] {4, 8}) {
                points.add(new Measurement(
                        shape,
                        Precision.parse(HawqResNet.precisionOf(bits)),
                        BATCH,
                        row.latency(bits) * ILP_LATENCY_UNIT_SECONDS,
                        "%s_ilp_inputs.csv layer %d (units undocumented, read as ms)"
                                .formatted(model.model(), row.index())));
            }
        }
        return points;
    }

    /** Runs every check on the data directory ({@code data/}, holding {@code hawq/}). */
    public static Report run(Path dataDirectory) {
        HawqData data = HawqData.inDataDirectory(dataDirectory);

        List<SizeCheck> sizes = new ArrayList<>();
        for (String name : MODELS) {
            HawqResNet.Model model = HawqResNet.build(name, data.ilpInputs(name));
            HawqData.PublishedConfigs configs = data.publishedConfigs(name);
            for (String scheme : configs.schemes()) {
                sizes.add(size(
                        model,
                        model.configuration(configs, scheme),
                        scheme,
                        data.zoo(name, scheme).modelSizeMb()));
            }
        }

        List<HawqData.IlpLayer> ilp50 = data.ilpInputs("resnet50");
        HawqResNet.Model resnet50 = HawqResNet.build("resnet50", ilp50);
        List<Measurement> points = ilpMeasurements(resnet50, ilp50);
        List<Measurement> fit = new ArrayList<>();
        List<Measurement> heldOut = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            int layerIndex = i / 2;
            (layerIndex % 2 == 0 ? fit : heldOut).add(points.get(i));
        }
        DeviceSpec t4 = t4ForHawq();
        Calibrator.Validated validated = Calibrator.fitAndValidate(t4, fit, heldOut);
        DeviceSpec calibrated = validated.calibration().apply(t4);
        DeviceModel modelOnly = new DeviceModel(t4, MeasuredTable.empty(), validated.calibration(), validated.report());

        List<SpeedupCheck> speedups = new ArrayList<>();
        for (String name : MODELS) {
            List<HawqData.IlpLayer> ilp = data.ilpInputs(name);
            HawqResNet.Model model = HawqResNet.build(name, ilp);
            HawqData.PublishedConfigs configs = data.publishedConfigs(name);
            DeviceModel withTable = new DeviceModel(
                    t4, MeasuredTable.of(ilpMeasurements(model, ilp)), validated.calibration(), validated.report());
            CostTable predicted =
                    CostTable.build(new CostRequest(model.network(), modelOnly, BATCH, PRECISIONS, model.strides()));
            CostTable mixed =
                    CostTable.build(new CostRequest(model.network(), withTable, BATCH, PRECISIONS, model.strides()));
            BitConfiguration uniform8 = model.configuration(configs, "uniform8");
            double published8 = data.zoo(name, "uniform8").latencyMsBatch8().orElseThrow();
            for (String scheme : configs.schemes()) {
                var zoo = data.zoo(name, scheme);
                if (zoo.latencyMsBatch8().isEmpty()) { // uniform8 included: its ratio is 1, error 0
                    continue;
                }
                BitConfiguration config = model.configuration(configs, scheme);
                ConfigurationCost mixedCost = mixed.total(config);
                speedups.add(new SpeedupCheck(
                        name,
                        scheme,
                        zoo.latencyMsBatch8().getAsDouble() / published8,
                        predicted.total(config).latencySeconds()
                                / predicted.total(uniform8).latencySeconds(),
                        ilpSum(model, ilp, config) / ilpSum(model, ilp, uniform8),
                        mixedCost.latencySeconds() / mixed.total(uniform8).latencySeconds(),
                        mixedCost.measuredLayers(),
                        mixedCost.predictedLayers()));
            }
        }

        CostsBenchResult result = new CostsBenchResult(
                sizes.stream()
                        .mapToDouble(s -> Math.abs(s.differenceMb()))
                        .max()
                        .orElse(Double.NaN),
                validated.report().mape(),
                validated.report().spearman(),
                speedups.stream().map(SpeedupCheck::modelError).toList(),
                speedups.stream().map(SpeedupCheck::sumError).toList());
        return new Report(result, sizes, validated, calibrated, speedups);
    }

    private static SizeCheck size(HawqResNet.Model model, BitConfiguration config, String scheme, double published) {
        long bytes = 0;
        long elements = 0;
        for (LayerSpec layer : model.network().layers()) {
            Precision precision = Precision.parse(config.precisionOf(layer.name()));
            LayerShape shape = LayerShape.of(layer);
            bytes += LayerAccounting.weightBytes(shape, precision.weight());
            elements += (layer.parameters() * precision.weight().elementBits() + 7) / 8;
        }
        long bias = model.fcBiasParameters();
        bytes += bias;
        double publishedBytes = published * 1024 * 1024;
        return new SizeCheck(
                model.model(),
                scheme,
                bytes,
                elements,
                bytes - elements - bias,
                bias,
                published,
                (bytes - publishedBytes) / 1e6,
                bytes / 1e6 - published);
    }

    private static double ilpSum(HawqResNet.Model model, List<HawqData.IlpLayer> ilp, BitConfiguration config) {
        double sum = 0;
        for (HawqData.IlpLayer row : ilp) {
            String precision = config.precisionOf(row.name());
            sum += row.latency(precision.startsWith("int4") ? 4 : 8);
        }
        return sum;
    }

    /** The machine the figures were taken on (CONTRACTS.md section 6: printed first). */
    public static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            cpu = System.getProperty("os.arch");
        }
        return "machine: %s, %d cores, %s %s, flags %s"
                .formatted(
                        cpu,
                        Runtime.getRuntime().availableProcessors(),
                        System.getProperty("java.vm.name"),
                        System.getProperty("java.vm.version"),
                        ManagementFactory.getRuntimeMXBean().getInputArguments());
    }
}
