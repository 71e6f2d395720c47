package dev.mpq.costs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.core.LayerSpec;
import dev.mpq.core.Precision;
import dev.mpq.costs.DeviceSpec;
import dev.mpq.costs.LayerAccounting;
import dev.mpq.costs.LayerCost;
import dev.mpq.costs.LayerShape;
import dev.mpq.costs.RooflineModel;
import dev.mpq.costs.TestData;
import dev.mpq.costs.hawq.HawqData;
import dev.mpq.costs.hawq.HawqResNet;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The published-data checks of issue 5 (CONTRACTS.md section 6, bench costs). */
class CostsBenchmarkTest {

    private static CostsBenchmark.Report report;

    @BeforeAll
    static void run() {
        report = CostsBenchmark.run(TestData.directory());
    }

    @Test
    void publishedSizesMatchOurExactBytesWhenReadAsMib() {
        assertThat(report.sizes()).hasSize(22);
        for (CostsBenchmark.SizeCheck size : report.sizes()) {
            assertThat(Math.abs(size.differenceMb()))
                    .as("%s %s", size.model(), size.scheme())
                    .isLessThan(0.35);
            if (size.scheme().startsWith("uniform")) {
                assertThat(Math.abs(size.differenceMb()))
                        .as("%s %s", size.model(), size.scheme())
                        .isLessThan(0.16);
                assertThat(Math.abs(size.differenceMb())).isLessThan(Math.abs(size.differenceIfDecimalMb()));
            }
        }
        assertThat(report.result().sizeErrorMbMax()).isLessThan(0.35);
    }

    @Test
    void fp32SizesOfTheModelZooAreMibToo() {
        HawqData data = TestData.hawq();
        for (String name : List.of("resnet18", "resnet50")) {
            HawqResNet.Model model = HawqResNet.build(name, data.ilpInputs(name));
            long bytes = model.fcBiasParameters() * 4;
            for (LayerSpec layer : model.network().layers()) {
                bytes += LayerAccounting.weightBytes(
                        LayerShape.of(layer), Precision.parse("fp32").weight());
            }
            double publishedBytes = data.zoo(name, "fp32").modelSizeMb() * 1024 * 1024;
            // biases of the convolutions and batch-norm parameters are not counted: they stay below 0.6 %
            assertThat(bytes / publishedBytes).as(name).isBetween(0.994, 1.003);
        }
    }

    @Test
    void bopsOfThePublishedConfigurationsAreWithinThreeAndAHalfPercentOfThePublishedValues() {
        HawqData data = TestData.hawq();
        for (String name : List.of("resnet18", "resnet50")) {
            HawqResNet.Model model = HawqResNet.build(name, data.ilpInputs(name));
            HawqData.PublishedConfigs configs = data.publishedConfigs(name);
            for (String scheme : configs.schemes()) {
                var config = model.configuration(configs, scheme);
                long bops = 0;
                for (LayerSpec layer : model.network().layers()) {
                    bops += LayerAccounting.bops(
                            LayerShape.of(layer), Precision.parse(config.precisionOf(layer.name())));
                }
                double published = data.zoo(name, scheme).bopsG() * 1e9;
                assertThat(bops / published).as("%s %s", name, scheme).isBetween(0.99, 1.035);
            }
        }
    }

    @Test
    void t4ModelCalibratedOnEvenLayersPredictsOddLayersWithinFifteenPercent() {
        assertThat(report.latency().calibration().points()).isEqualTo(52);
        assertThat(report.latency().report().heldOutPoints()).isEqualTo(52);
        assertThat(report.result().latencyMapeHeldout()).isLessThanOrEqualTo(0.15);
        assertThat(report.result().latencySpearmanHeldout()).isGreaterThan(0.9);
    }

    @Test
    void calibratedModelPredictsPublishedSpeedupRatiosWithinTenPercent() {
        assertThat(report.speedups())
                .extracting(s -> s.model() + " " + s.scheme())
                .containsExactly(
                        "resnet18 uniform8",
                        "resnet18 uniform4",
                        "resnet18 bops_0.5",
                        "resnet50 uniform8",
                        "resnet50 uniform4",
                        "resnet50 bops_0.5");
        for (CostsBenchmark.SpeedupCheck s : report.speedups()) {
            assertThat(Math.abs(s.modelError()))
                    .as("%s %s", s.model(), s.scheme())
                    .isLessThanOrEqualTo(0.10);
            assertThat(s.predictedLayers())
                    .as("first conv and FC are not in the ILP table")
                    .isEqualTo(2);
        }
        assertThat(report.result().speedupErrorModel()).hasSize(6);
        assertThat(report.result().speedupErrorSum()).hasSize(6);
        assertThat(report.speedups().get(0).modelError())
                .as("uniform8 against itself")
                .isZero();
    }

    @Test
    void plainSumMissesResNet18Uniform4ByMoreThanTenPercent() {
        CostsBenchmark.SpeedupCheck r18 = report.speedups().stream()
                .filter(s -> s.model().equals("resnet18") && s.scheme().equals("uniform4"))
                .findFirst()
                .orElseThrow();
        assertThat(r18.sumError()).isLessThan(-0.10);
        double worstModel = report.result().speedupErrorModel().stream()
                .mapToDouble(Math::abs)
                .max()
                .orElseThrow();
        double worstSum = report.result().speedupErrorSum().stream()
                .mapToDouble(Math::abs)
                .max()
                .orElseThrow();
        assertThat(worstModel).isLessThan(worstSum);
    }

    @Test
    void predictedInt8OverInt4RatioPerLayerStaysWithinThePublishedRange() {
        HawqData data = TestData.hawq();
        HawqResNet.Model model = HawqResNet.build("resnet50", data.ilpInputs("resnet50"));
        DeviceSpec t4 = report.calibratedT4();
        List<Double> ratios = new ArrayList<>();
        for (String name : model.ilpLayers()) {
            LayerShape shape = LayerShape.of(
                    model.network().layer(name).orElseThrow(), model.strides().get(name));
            double int8 = ((LayerCost.Costed) RooflineModel.predict(t4, shape, Precision.parse("int8:int8"), 8))
                    .latencySeconds();
            double int4 = ((LayerCost.Costed) RooflineModel.predict(t4, shape, Precision.parse("int4:int4"), 8))
                    .latencySeconds();
            ratios.add(int8 / int4);
        }
        assertThat(ratios).allSatisfy(r -> assertThat(r).isBetween(1.0, 2.0));
    }

    @Test
    void jsonHasExactlyTheContractFields() {
        String json = report.result().toJson();
        Matcher keys = Pattern.compile("\"([a-z_]+)\"\\s*:").matcher(json);
        List<String> found = new ArrayList<>();
        while (keys.find()) {
            found.add(keys.group(1));
        }
        assertThat(found)
                .containsExactly(
                        "size_error_mb_max",
                        "latency_mape_heldout",
                        "latency_spearman_heldout",
                        "speedup_error_model",
                        "speedup_error_sum");
        assertThat(json).doesNotContain("NaN").doesNotContain("%");
    }

    @Test
    void numbersAreWrittenCompactly() {
        assertThat(CostsBenchResult.number(0.1)).isEqualTo("0.1");
        assertThat(CostsBenchResult.number(1)).isEqualTo("1");
        assertThat(CostsBenchResult.number(-0.0705789123)).isEqualTo("-0.0705789");
        assertThat(CostsBenchResult.number(1.5e-7)).isEqualTo("1.5e-07");
        assertThat(CostsBenchResult.number(Double.NaN)).isEqualTo("null");
    }
}
