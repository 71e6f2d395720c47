package dev.mpq.costs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.core.Precision;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FormatSupportTest {

    private static Execution on(String device, String precision) {
        return FormatSupport.resolve(DeviceCatalog.byId(device), Precision.parse(precision));
    }

    @Test
    void turingRunsInt8AndInt4Natively() {
        assertThat(on("t4", "int8:int8"))
                .extracting(Execution::kind, Execution::mode)
                .containsExactly(Execution.Kind.NATIVE, MathMode.INT8);
        assertThat(on("t4", "int4:int4"))
                .extracting(Execution::kind, Execution::mode)
                .containsExactly(Execution.Kind.NATIVE, MathMode.INT4);
        assertThat(on("t4", "int8-asym:int8-asym").kind()).isEqualTo(Execution.Kind.NATIVE);
    }

    @Test
    void weightOnlyFormatsDequantizeToTheDefaultActivationFormat() {
        Execution t4 = on("t4", "int4-g128");
        assertThat(t4.kind()).isEqualTo(Execution.Kind.DEQUANTIZE);
        assertThat(t4.mode()).isEqualTo(MathMode.FP16);
        assertThat(t4.dequantOpsPerWeight()).isEqualTo(3);
        assertThat(on("h100-sxm", "int4-g128").mode()).isEqualTo(MathMode.BF16);
        assertThat(on("avx2-cpu", "int4-g128").mode()).isEqualTo(MathMode.FP32);
        assertThat(on("h100-sxm", "mxint8").kind()).isEqualTo(Execution.Kind.DEQUANTIZE);
        assertThat(on("h100-sxm", "int3-g64-asym").dequantOpsPerWeight()).isEqualTo(4);
    }

    @Test
    void fp8NeedsAdaHopperOrBlackwell() {
        Execution t4 = on("t4", "fp8-e4m3:fp8-e4m3");
        assertThat(t4.isExcluded()).isTrue();
        assertThat(t4.note()).contains("t4 has no fp8 math").contains("weight-only precision fp8-e4m3");
        assertThat(on("a100-80gb", "fp8-e4m3:fp8-e4m3").isExcluded()).isTrue();
        assertThat(on("l4", "fp8-e4m3:fp8-e4m3").mode()).isEqualTo(MathMode.FP8);
        assertThat(on("h100-sxm", "fp8-e5m2:fp8-e4m3").kind()).isEqualTo(Execution.Kind.NATIVE);
    }

    @Test
    void hopperRunsInt4ActivationsOnlyByWideningToInt8() {
        Execution h100 = on("h100-sxm", "int4:int4");
        assertThat(h100.kind()).isEqualTo(Execution.Kind.DEQUANTIZE);
        assertThat(h100.mode()).isEqualTo(MathMode.INT8);
        assertThat(h100.note()).contains("widened");
    }

    @Test
    void blockScaledActivationsNeedBlackwell() {
        assertThat(on("b200", "nvfp4:nvfp4"))
                .extracting(Execution::kind, Execution::mode)
                .containsExactly(Execution.Kind.NATIVE, MathMode.FP4);
        assertThat(on("b200", "mxfp8:mxfp8").mode()).isEqualTo(MathMode.FP8);
        assertThat(on("b200", "mxfp6:mxfp6").mode()).isEqualTo(MathMode.FP6);
        Execution h100 = on("h100-sxm", "nvfp4:nvfp4");
        assertThat(h100.isExcluded()).isTrue();
        assertThat(h100.note()).contains("block scales").contains("weight-only precision nvfp4");
        assertThat(on("b200", "mxint8:mxint8").isExcluded()).isTrue();
    }

    @Test
    void devicesWithoutThePrecisionsMathExcludeItWithAReason() {
        Execution bf16OnT4 = on("t4", "bf16:bf16");
        assertThat(bf16OnT4.isExcluded()).isTrue();
        assertThat(bf16OnT4.note()).contains("no bf16 math");
        Execution m2 = on("apple-m2", "int8:int8");
        assertThat(m2.isExcluded()).isTrue();
        assertThat(m2.note()).contains("no integer math");
        assertThat(on("t4", "int8-g128:int8-g128").note()).contains("group scales");
        assertThat(on("t4", "fp8-e4m3:int8").note()).contains("not integers");
        assertThat(on("h100-sxm", "int8:fp8-e4m3").note()).contains("not exactly representable");
        assertThat(on("h100-sxm", "int4:ternary").isExcluded()).isTrue();
    }

    @Test
    void narrowerOrGroupScaledIntegerWeightsAreWidenedInTheKernel() {
        Execution w4a8 = on("t4", "int4:int8");
        assertThat(w4a8.kind()).isEqualTo(Execution.Kind.DEQUANTIZE);
        assertThat(w4a8.mode()).isEqualTo(MathMode.INT8);
        assertThat(w4a8.dequantOpsPerWeight()).isEqualTo(1);
        Execution grouped = on("a100-80gb", "int4-g128:int8");
        assertThat(grouped.mode()).isEqualTo(MathMode.INT8);
        assertThat(grouped.note()).contains("rescaled per group of 128");
        assertThat(on("t4", "int3:int3").mode()).isEqualTo(MathMode.INT4);
    }

    @Test
    void formatTableSaysWhichFormatsRunNativelyAndWhichOnlyDequantized() {
        Map<String, Execution.Kind> t4 = FormatSupport.table(DeviceCatalog.byId("t4")).stream()
                .collect(Collectors.toMap(FormatSupport.FormatRow::format, FormatSupport.FormatRow::support));
        assertThat(t4)
                .containsEntry("int8", Execution.Kind.NATIVE)
                .containsEntry("int4", Execution.Kind.NATIVE)
                .containsEntry("fp16", Execution.Kind.NATIVE)
                .containsEntry("fp32", Execution.Kind.NATIVE)
                .containsEntry("int4-g128", Execution.Kind.DEQUANTIZE)
                .containsEntry("fp8-e4m3", Execution.Kind.DEQUANTIZE)
                .containsEntry("nvfp4", Execution.Kind.DEQUANTIZE)
                .containsEntry("bf16", Execution.Kind.DEQUANTIZE);
        Map<String, Execution.Kind> b200 = FormatSupport.table(DeviceCatalog.byId("b200")).stream()
                .collect(Collectors.toMap(FormatSupport.FormatRow::format, FormatSupport.FormatRow::support));
        assertThat(b200)
                .containsEntry("nvfp4", Execution.Kind.NATIVE)
                .containsEntry("mxfp4", Execution.Kind.NATIVE)
                .containsEntry("fp8-e4m3", Execution.Kind.NATIVE)
                .containsEntry("int8", Execution.Kind.NATIVE)
                .containsEntry("int4", Execution.Kind.DEQUANTIZE)
                .containsEntry("mxint8", Execution.Kind.DEQUANTIZE);
        for (DeviceSpec device : DeviceCatalog.all()) {
            assertThat(FormatSupport.table(device))
                    .as(device.id())
                    .noneMatch(r -> r.support() == Execution.Kind.EXCLUDED);
        }
    }
}
