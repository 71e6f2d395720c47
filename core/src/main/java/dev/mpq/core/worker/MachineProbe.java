package dev.mpq.core.worker;

import java.util.List;
import java.util.Map;

/**
 * What a worker found out about its machine.
 *
 * @param cpuModel e.g. "AMD EPYC 7B13" (or the GPU's name for a GPU worker)
 * @param cores logical cores available to the worker
 * @param simd instruction-set features relevant to kernels, e.g. avx2, fma, avx512f, avx512_vnni
 * @param cacheBytes cache sizes by level, e.g. {"L1d": 32768, "L2": 524288, "L3": 33554432}
 * @param memoryBytes total memory
 * @param bandwidthGbs measured memory bandwidth (GB/s, 10^9 bytes), 0 when not measured
 * @param runtime the worker's runtime, e.g. "OpenJDK 17.0.15, --add-modules jdk.incubator.vector"
 */
public record MachineProbe(
        String cpuModel,
        int cores,
        List<String> simd,
        Map<String, Long> cacheBytes,
        long memoryBytes,
        double bandwidthGbs,
        String runtime) {

    public MachineProbe {
        simd = List.copyOf(simd == null ? List.of() : simd);
        cacheBytes = Map.copyOf(cacheBytes == null ? Map.of() : cacheBytes);
    }
}
