package dev.mpq.costs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mpq.core.BitConfiguration;
import dev.mpq.core.LayerKind;
import dev.mpq.core.LayerSpec;
import dev.mpq.core.NetworkSpec;
import dev.mpq.core.Precision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostTableTest {

    private static final List<Precision> CANDIDATES = List.of(
            Precision.parse("int8:int8"),
            Precision.parse("int4:int4"),
            Precision.parse("fp8-e4m3:fp8-e4m3"),
            Precision.parse("int4-g128"));

    private static NetworkSpec tinyTransformer() {
        return new NetworkSpec(
                "tiny",
                List.of(
                        new LayerSpec("q", LayerKind.LINEAR, List.of(384L, 384L), 147456, 147456, "qkv"),
                        new LayerSpec("k", LayerKind.LINEAR, List.of(384L, 384L), 147456, 147456, "qkv"),
                        new LayerSpec("ffn", LayerKind.LINEAR, List.of(1536L, 384L), 589824, 589824, null)));
    }

    @Test
    void everyLayerGetsEveryCandidateCostedOrExcludedWithItsReason() {
        CostTable table = CostTable.build(
                CostRequest.of(tinyTransformer(), DeviceModel.ofSpec(DeviceCatalog.byId("t4")), 16, CANDIDATES));
        assertThat(table.precisions()).containsExactly("int8:int8", "int4:int4", "fp8-e4m3:fp8-e4m3", "int4-g128");
        assertThat(table.layers()).extracting(CostTable.LayerRow::layer).containsExactly("q", "k", "ffn");
        CostTable.LayerRow ffn = table.row("ffn");
        assertThat(ffn.runnable())
                .extracting(LayerCost.Costed::precision)
                .containsExactly("int8:int8", "int4:int4", "int4-g128");
        LayerCost fp8 = ffn.cost("fp8-e4m3:fp8-e4m3");
        assertThat(fp8).isInstanceOf(LayerCost.Excluded.class);
        assertThat(((LayerCost.Excluded) fp8).reason()).contains("t4 has no fp8 math");
        assertThat(table.exclusions()).hasSize(3);
        LayerCost.Costed int4 = (LayerCost.Costed) ffn.cost("int4-g128");
        assertThat(int4.weightBytes()).isEqualTo(589824 / 2 + 1536 * 3 * 2);
        assertThat(int4.bops()).isEqualTo(589824L * 4 * 16);
        assertThat(int4.source()).isEqualTo(LatencySource.PREDICTED);
        assertThat(table.basis()).contains("uncalibrated").contains("no measured table");
    }

    @Test
    void measuredEntriesOverrideTheModelAndSaySo() {
        MeasuredTable measured = MeasuredTable.of(List.of(new Measurement(
                new LayerShape(LayerKind.LINEAR, List.of(384L, 384L), 147456, 147456, 0),
                Precision.parse("int8:int8"),
                16,
                7e-6,
                "worker run 3")));
        DeviceModel t4 = new DeviceModel(DeviceCatalog.byId("t4"), measured, null, null);
        CostTable table = CostTable.build(CostRequest.of(tinyTransformer(), t4, 16, CANDIDATES));
        LayerCost.Costed q = (LayerCost.Costed) table.row("q").cost("int8:int8");
        assertThat(q.source()).isEqualTo(LatencySource.MEASURED);
        assertThat(q.latencySeconds()).isEqualTo(7e-6);
        assertThat(q.predictedSeconds()).isNotEqualTo(7e-6).isPositive();
        assertThat(q.note()).contains("worker run 3");
        assertThat(((LayerCost.Costed) table.row("ffn").cost("int8:int8")).source())
                .isEqualTo(LatencySource.PREDICTED);
        assertThat(((LayerCost.Costed) table.row("q").cost("int4:int4")).source())
                .isEqualTo(LatencySource.PREDICTED);

        ConfigurationCost total =
                table.total(new BitConfiguration(Map.of("q", "int8:int8", "k", "int8:int8", "ffn", "int4-g128")));
        double expected = 7e-6 + 7e-6 + ((LayerCost.Costed) table.row("ffn").cost("int4-g128")).latencySeconds();
        assertThat(total.latencySeconds()).isCloseTo(expected, within(1e-15));
        assertThat(total.measuredLayers()).isEqualTo(2);
        assertThat(total.predictedLayers()).isEqualTo(1);
        assertThatThrownBy(() -> table.total(
                        new BitConfiguration(Map.of("q", "fp8-e4m3:fp8-e4m3", "k", "int8:int8", "ffn", "int8:int8"))))
                .hasMessageContaining("Layer (q) cannot run fp8-e4m3:fp8-e4m3 on t4");
    }

    @Test
    void requestsAreValidatedWithMessagesThatNameTheValue() {
        DeviceModel t4 = DeviceModel.ofSpec(DeviceCatalog.byId("t4"));
        assertThatThrownBy(() -> CostRequest.of(tinyTransformer(), t4, 0, CANDIDATES))
                .hasMessageContaining("Batch 0");
        assertThatThrownBy(() -> CostRequest.of(tinyTransformer(), t4, 1, List.of()))
                .hasMessageContaining("at least one candidate");
        assertThatThrownBy(() -> new CostRequest(tinyTransformer(), t4, 1, CANDIDATES, Map.of("v", 2)))
                .hasMessageContaining("layer 'v'");
        NetworkSpec inconsistent =
                new NetworkSpec("bad", List.of(new LayerSpec("fc", LayerKind.LINEAR, List.of(10L, 10L), 99, 99, null)));
        assertThatThrownBy(() -> CostTable.build(CostRequest.of(inconsistent, t4, 1, CANDIDATES)))
                .hasMessageStartingWith(
                        "Layer (fc): Weight shape [10, 10] holds 100 elements but the layer has 99 parameters");
    }
}
