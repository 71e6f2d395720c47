package dev.mpq.costs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceCatalogTest {

    @Test
    void holdsEveryDeviceOfTheIssueWithSources() {
        assertThat(DeviceCatalog.all())
                .extracting(DeviceSpec::id)
                .containsExactly(
                        "t4", "a100-80gb", "h100-sxm", "l4", "rtx-4090", "b200", "xeon-8480", "apple-m2", "avx2-cpu");
        for (DeviceSpec spec : DeviceCatalog.all()) {
            assertThat(spec.source()).as(spec.id()).isNotBlank();
            assertThat(spec.estimates()).as(spec.id()).isNotEmpty();
        }
    }

    @Test
    void t4FiguresAreThoseOfTheDatasheet() {
        DeviceSpec t4 = DeviceCatalog.byId("t4");
        assertThat(t4.peakOpsPerSecond())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        MathMode.FP32, 8.1e12,
                        MathMode.FP16, 65e12,
                        MathMode.INT8, 130e12,
                        MathMode.INT4, 260e12));
        assertThat(t4.memoryBandwidthBytesPerSecond()).isEqualTo(320e9);
        assertThat(t4.memoryBytes()).isEqualTo(16_000_000_000L);
        assertThat(t4.defaultActivation().id()).isEqualTo("fp16");
        assertThat(t4.supports(MathMode.BF16)).isFalse();
        assertThat(t4.blockScaledFormats()).isEmpty();
    }

    @Test
    void hopperHasFp8ButNoInt4AndBlackwellHasBlockScaledFp4() {
        DeviceSpec h100 = DeviceCatalog.byId("h100-sxm");
        assertThat(h100.peak(MathMode.FP8).getAsDouble()).isEqualTo(1979e12);
        assertThat(h100.supports(MathMode.INT4)).isFalse();
        assertThat(h100.efficiency(MathMode.BF16)).isEqualTo(0.803);
        assertThat(h100.efficiency(MathMode.INT8)).isEqualTo(0.7);
        DeviceSpec b200 = DeviceCatalog.byId("b200");
        assertThat(b200.peak(MathMode.FP4).getAsDouble()).isEqualTo(9000e12);
        assertThat(b200.blockScaledFormats()).containsExactlyInAnyOrder("mxfp8", "mxfp6", "mxfp4", "nvfp4");
        assertThat(b200.memoryBandwidthBytesPerSecond()).isEqualTo(7700e9);
    }

    @Test
    void estimatedFiguresAreMarked() {
        assertThat(DeviceCatalog.byId("l4").estimates()).anyMatch(e -> e.startsWith("int4 peak"));
        assertThat(DeviceCatalog.byId("xeon-8480").estimates()).anyMatch(e -> e.contains("derived"));
        assertThat(DeviceCatalog.byId("avx2-cpu").defaultActivation().id()).isEqualTo("fp32");
    }

    @Test
    void registeredDeviceStartsFromAnEntryWithOverrides() {
        DeviceSpec mine = DeviceCatalog.derive(
                "a100-80gb",
                DeviceSpec.Overrides.none()
                        .withId("a100-40gb-pcie", "A100 40GB PCIe")
                        .withMemory(1555e9, 40_000_000_000L)
                        .withPeak(MathMode.INT4, 0));
        assertThat(mine.id()).isEqualTo("a100-40gb-pcie");
        assertThat(mine.memoryBandwidthBytesPerSecond()).isEqualTo(1555e9);
        assertThat(mine.memoryBytes()).isEqualTo(40_000_000_000L);
        assertThat(mine.supports(MathMode.INT4)).isFalse();
        assertThat(mine.peak(MathMode.INT8).getAsDouble()).isEqualTo(624e12);
        assertThat(mine.efficiency(MathMode.BF16)).isEqualTo(0.869);
        assertThat(DeviceCatalog.byId("a100-80gb").supports(MathMode.INT4)).isTrue();
    }

    @Test
    void overridesThatBreakTheSpecAreRejectedWithTheValue() {
        DeviceSpec t4 = DeviceCatalog.byId("t4");
        assertThatThrownBy(() -> t4.apply(DeviceSpec.Overrides.none().withPeak(MathMode.FP16, 0)))
                .hasMessageContaining("computes weight-only precisions in fp16 but has no fp16 peak");
        assertThatThrownBy(() -> t4.apply(DeviceSpec.Overrides.none().withMemory(-1.0, null)))
                .hasMessageContaining("memory bandwidth")
                .hasMessageContaining("-1.0");
        assertThatThrownBy(() -> t4.apply(new DeviceSpec.Overrides(
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        Set.of("int4-g128"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null)))
                .hasMessageContaining("'int4-g128'");
        assertThatThrownBy(() -> DeviceCatalog.byId("v100"))
                .hasMessageContaining("Unknown device 'v100'")
                .hasMessageContaining("t4");
    }

    @Test
    void catalogueErrorsNameTheLineAndColumn() {
        String header = String.join(
                ",",
                List.of(
                        "id",
                        "name",
                        "kind",
                        "fp32",
                        "tf32",
                        "fp16",
                        "bf16",
                        "fp8",
                        "fp6",
                        "fp4",
                        "int8",
                        "int4",
                        "vector_tops",
                        "memory_gbs",
                        "memory_gb",
                        "default_activation",
                        "block_scaled",
                        "compute_efficiency",
                        "mode_efficiency",
                        "memory_efficiency",
                        "overhead_us",
                        "estimates",
                        "source"));
        String good = "x,X,gpu,1,,2,,,,,4,,0.5,100,8,fp16,,0.7,,0.8,5,,src";
        String bad = "y,Y,gpu,1,,fast,,,,,4,,0.5,100,8,fp16,,0.7,,0.8,5,,src";
        assertThatThrownBy(() -> DeviceCatalog.parse(CsvDocument.read(
                        new StringReader("# comment\n" + header + "\n" + good + "\n" + bad + "\n"), "d.csv")))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("d.csv: line 4, column 6 (fp16): 'fast' is not a number")
                .satisfies(e -> {
                    CsvFormatException csv = (CsvFormatException) e;
                    assertThat(csv.line()).isEqualTo(4);
                    assertThat(csv.column()).isEqualTo(6);
                });
        String noDefaultPeak = "z,Z,gpu,1,,,,,,,4,,0.5,100,8,fp16,,0.7,,0.8,5,,src";
        assertThatThrownBy(() -> DeviceCatalog.parse(
                        CsvDocument.read(new StringReader(header + "\n" + noDefaultPeak + "\n"), "d.csv")))
                .hasMessageStartingWith("d.csv: line 2")
                .hasMessageContaining("no fp16 peak");
    }
}
