package dev.mpq.costs;

import dev.mpq.core.FormatCatalog;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Named device fixtures with round figures, for hand-computed cases. */
final class TestDevices {

    private TestDevices() {}

    /**
     * INT8 100 TOPS, INT4 200 TOPS, FP16 50 TFLOPS, FP32 10 TFLOPS; vector 1e12 ops/s; 1 TB/s; compute
     * efficiency 0.5, memory efficiency 0.8, overhead 2 us; fp16 default activations.
     */
    static DeviceSpec roundFigures() {
        return new DeviceSpec(
                "round",
                "Round figures",
                DeviceKind.GPU,
                Map.of(MathMode.INT8, 100e12, MathMode.INT4, 200e12, MathMode.FP16, 50e12, MathMode.FP32, 10e12),
                1e12,
                1e12,
                16_000_000_000L,
                FormatCatalog.byId("fp16"),
                Set.of(),
                0.5,
                Map.of(),
                0.8,
                2e-6,
                0,
                "test fixture",
                List.of("everything"));
    }

    /**
     * An NVIDIA A10 as Marlin's paper uses it: FP16 tensor cores 125 TFLOPS, 600 GB/s, FP32 31.2
     * TFLOPS; efficiencies 1 and no overhead (the ideal of the Marlin paper).
     */
    static DeviceSpec idealA10() {
        return new DeviceSpec(
                "a10",
                "NVIDIA A10 (ideal)",
                DeviceKind.GPU,
                Map.of(MathMode.FP16, 125e12, MathMode.FP32, 31.2e12, MathMode.INT8, 250e12),
                15.6e12,
                600e9,
                24_000_000_000L,
                FormatCatalog.byId("fp16"),
                Set.of(),
                1.0,
                Map.of(),
                1.0,
                0,
                0,
                "NVIDIA A10 datasheet",
                List.of());
    }
}
