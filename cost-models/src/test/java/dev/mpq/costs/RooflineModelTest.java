package dev.mpq.costs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mpq.core.LayerKind;
import dev.mpq.core.Precision;
import java.util.List;
import org.junit.jupiter.api.Test;

class RooflineModelTest {

    private static final LayerShape LINEAR_1024 =
            new LayerShape(LayerKind.LINEAR, List.of(1024L, 1024L), 1024L * 1024, 1024L * 1024, 1);

    private static LayerCost.Costed costed(DeviceSpec device, LayerShape shape, String precision, int batch) {
        return (LayerCost.Costed) RooflineModel.predict(device, shape, Precision.parse(precision), batch);
    }

    @Test
    void smallBatchInt8IsMemoryBound() {
        LayerCost.Costed cost = costed(TestDevices.roundFigures(), LINEAR_1024, "int8:int8", 1);
        // compute: 2 x 1048576 / 100e12 / 0.5
        assertThat(cost.breakdown().computeSeconds()).isCloseTo(2.0 * 1048576 / 100e12 / 0.5, within(1e-18));
        // memory: weights 1048576 + 1024 fp32 scales, input 1024 B, output 1024 B, at 1 TB/s x 0.8
        double bytes = 1048576 + 4096 + 1024 + 1024;
        assertThat(cost.breakdown().memorySeconds()).isCloseTo(bytes / 0.8e12, within(1e-18));
        assertThat(cost.breakdown().memoryBound()).isTrue();
        assertThat(cost.latencySeconds()).isCloseTo(bytes / 0.8e12 + 2e-6, within(1e-15));
        assertThat(cost.source()).isEqualTo(LatencySource.PREDICTED);
        assertThat(cost.weightBytes()).isEqualTo(1048576 + 4096);
        assertThat(cost.bops()).isEqualTo(1048576L * 64);
    }

    @Test
    void largeBatchInt8IsComputeBound() {
        LayerCost.Costed cost = costed(TestDevices.roundFigures(), LINEAR_1024, "int8:int8", 4096);
        double compute = 2.0 * 1048576 * 4096 / 100e12 / 0.5;
        double memory = (1048576 + 4096 + 4096.0 * 1024 * 2) / 0.8e12;
        assertThat(cost.breakdown().memorySeconds()).isCloseTo(memory, within(1e-15));
        assertThat(cost.latencySeconds()).isCloseTo(compute + 2e-6, within(1e-15));
    }

    @Test
    void int4RunsAtTwiceTheInt8RateWhenComputeBound() {
        DeviceSpec device = TestDevices.roundFigures();
        double int8 = costed(device, LINEAR_1024, "int8:int8", 4096).breakdown().computeSeconds();
        double int4 = costed(device, LINEAR_1024, "int4:int4", 4096).breakdown().computeSeconds();
        assertThat(int8 / int4).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void weightOnlyFormatAddsDequantizationToFp16Math() {
        LayerCost.Costed cost = costed(TestDevices.roundFigures(), LINEAR_1024, "int4-g128", 1);
        // one conversion (batch 1 < 128 rows), 3 ops per weight, 1e12 ops/s, efficiency 0.5
        double dequant = 1048576 * 3 / 1e12 / 0.5;
        double compute = 2.0 * 1048576 / 50e12 / 0.5;
        double memory = (1048576 / 2 + 1024 * 8 * 2 + 1024 * 2 + 1024 * 2) / 0.8e12;
        assertThat(cost.breakdown().dequantSeconds()).isCloseTo(dequant, within(1e-15));
        assertThat(cost.breakdown().computeSeconds()).isCloseTo(compute, within(1e-15));
        assertThat(cost.breakdown().memorySeconds()).isCloseTo(memory, within(1e-15));
        assertThat(cost.latencySeconds()).isCloseTo(dequant + compute + 2e-6, within(1e-15));
        assertThat(cost.execution().kind()).isEqualTo(Execution.Kind.DEQUANTIZE);
    }

    @Test
    void dequantizationRepeatsOncePerTileOf128Rows() {
        DeviceSpec device = TestDevices.roundFigures();
        double one = costed(device, LINEAR_1024, "int4-g128", 128).breakdown().dequantSeconds();
        double two = costed(device, LINEAR_1024, "int4-g128", 129).breakdown().dequantSeconds();
        double eight =
                costed(device, LINEAR_1024, "int4-g128", 1024).breakdown().dequantSeconds();
        assertThat(two / one).isCloseTo(2, within(1e-12));
        assertThat(eight / one).isCloseTo(8, within(1e-12));
    }

    @Test
    void convolutionReadsStrideSquaredMoreInputThanItWritesPositions() {
        DeviceSpec device = TestDevices.roundFigures();
        // 1x1 conv 256 -> 128, output 28x28: 32768 params x 784 positions
        LayerShape strided = new LayerShape(LayerKind.CONV, List.of(128L, 256L, 1L, 1L), 32768, 32768L * 784, 2);
        RooflineTerms terms = RooflineModel.terms(device, strided, Precision.parse("int8:int8"), 8);
        double input = 8.0 * 256 * 784 * 4;
        double output = 8.0 * 128 * 784;
        assertThat(terms.activationBytes()).isCloseTo(input + output, within(1e-6));
        assertThat(terms.weightBytes()).isEqualTo(32768 + 128 * 4);
    }

    @Test
    void fixedOutputBitsReplaceTheActivationFormatsWidthForOutputs() {
        DeviceSpec int32Outputs =
                TestDevices.roundFigures().apply(DeviceSpec.Overrides.none().withOutputBits(32));
        RooflineTerms terms = RooflineModel.terms(int32Outputs, LINEAR_1024, Precision.parse("int4:int4"), 16);
        assertThat(terms.activationBytes()).isCloseTo(16 * (1024 * 0.5 + 1024 * 4.0), within(1e-9));
    }

    @Test
    void embeddingReadsOnlyTheGatheredRows() {
        LayerShape embedding = new LayerShape(LayerKind.EMBEDDING, List.of(30522L, 384L), 30522L * 384, 0, 1);
        RooflineTerms terms = RooflineModel.terms(TestDevices.roundFigures(), embedding, Precision.parse("int8"), 4);
        assertThat(terms.weightBytes()).isEqualTo(4 * 384 + 4 * 4);
        assertThat(terms.computeSeconds()).isZero();
    }

    @Test
    void precisionTheDeviceCannotRunIsExcludedWithTheReason() {
        LayerCost cost =
                RooflineModel.predict(TestDevices.roundFigures(), LINEAR_1024, Precision.parse("fp8-e4m3:fp8-e4m3"), 1);
        assertThat(cost).isInstanceOf(LayerCost.Excluded.class);
        assertThat(((LayerCost.Excluded) cost).reason()).contains("round has no fp8 math");
        assertThat(cost.runnable()).isFalse();
    }

    @Test
    void marlinW4A16ReachesTheIdealByteRatioOverFp16UpToBatch16() {
        // Marlin (Frantar et al. 2024) on an A10: int4-g128 vs fp16 speed-up ~ 16 / 4.125 = 3.87 for batch 1..16
        LayerShape layer = new LayerShape(LayerKind.LINEAR, List.of(8192L, 8192L), 8192L * 8192, 8192L * 8192, 1);
        DeviceSpec a10 = TestDevices.idealA10();
        for (int batch : new int[] {1, 2, 4, 8, 16}) {
            double fp16 = costed(a10, layer, "fp16", batch).latencySeconds();
            double int4 = costed(a10, layer, "int4-g128", batch).latencySeconds();
            assertThat(fp16 / int4).as("batch %d", batch).isBetween(3.75, 3.90);
        }
        // far beyond batch 16-32 the product becomes compute bound and the advantage fades
        double fp16 = costed(a10, layer, "fp16", 1024).latencySeconds();
        double int4 = costed(a10, layer, "int4-g128", 1024).latencySeconds();
        assertThat(fp16 / int4).isLessThan(1.5);
    }
}
