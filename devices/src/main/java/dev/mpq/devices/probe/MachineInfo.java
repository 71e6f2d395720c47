package dev.mpq.devices.probe;

import java.util.List;

/**
 * What the device probe found: the facts a latency table is stored with.
 *
 * @param cpuModel the CPU's model name
 * @param logicalCores processors available to the JVM
 * @param simdFeatures SIMD-related CPU flags (AVX2, FMA, AVX-512 subsets, VNNI, AMX, NEON, SVE...)
 * @param caches caches of CPU 0 from sysfs (empty when the kernel does not list them, as in some VMs)
 * @param lastLevelCacheBytes the largest cache found: sysfs, else /proc/cpuinfo's "cache size", else 0
 * @param lastLevelCacheSource {@code sysfs}, {@code cpuinfo} or {@code unknown}
 * @param memoryBytes physical memory (MemTotal)
 * @param jvm JVM name and version
 * @param jvmFlags the JVM's input arguments
 * @param vectorShape the Vector API shape the kernels use
 */
public record MachineInfo(
        String cpuModel,
        int logicalCores,
        List<String> simdFeatures,
        List<CacheLevel> caches,
        long lastLevelCacheBytes,
        String lastLevelCacheSource,
        long memoryBytes,
        String jvm,
        List<String> jvmFlags,
        String vectorShape) {

    /** The cache size benchmark buffers are sized against: never below this, whatever the probe found. */
    public static final long MIN_SIZING_CACHE_BYTES = 64L << 20;

    public MachineInfo {
        simdFeatures = List.copyOf(simdFeatures);
        caches = List.copyOf(caches);
        jvmFlags = List.copyOf(jvmFlags);
        if (logicalCores < 1) {
            throw new IllegalArgumentException(
                    "A machine with %d cores; the probe saw at least one.".formatted(logicalCores));
        }
    }

    /**
     * The last-level cache size used to size buffers that must not fit in cache: the probed size,
     * but at least {@link #MIN_SIZING_CACHE_BYTES} (VMs often hide the real L3, and cpuinfo's
     * "cache size" is the L2 on some CPUs).
     */
    public long sizingCacheBytes() {
        return Math.max(lastLevelCacheBytes, MIN_SIZING_CACHE_BYTES);
    }

    /**
     * The protocol's probe record: caches keyed {@code L1d}, {@code L1i}, {@code L2}, {@code L3}
     * from sysfs, or {@code cpuinfo} (the one figure /proc/cpuinfo gives) when sysfs lists none.
     */
    public dev.mpq.core.worker.MachineProbe toProbe(double bandwidthGbs) {
        java.util.Map<String, Long> cacheBytes = new java.util.LinkedHashMap<>();
        for (CacheLevel cache : caches) {
            String key = "L" + cache.level()
                    + (cache.type().equals("Data") ? "d" : cache.type().equals("Instruction") ? "i" : "");
            cacheBytes.put(key, cache.sizeBytes());
        }
        if (cacheBytes.isEmpty() && lastLevelCacheBytes > 0) {
            cacheBytes.put(lastLevelCacheSource, lastLevelCacheBytes);
        }
        String runtime = jvm + ", " + String.join(" ", jvmFlags) + ", vectors " + vectorShape;
        return new dev.mpq.core.worker.MachineProbe(
                cpuModel, logicalCores, simdFeatures, cacheBytes, memoryBytes, bandwidthGbs, runtime);
    }

    /** One line for benchmark headers. */
    public String summary() {
        return "%s, %d cores, %s, LLC %s (%s), memory %.1f GiB, %s, vectors %s, flags %s"
                .formatted(
                        cpuModel,
                        logicalCores,
                        String.join(" ", simdFeatures),
                        lastLevelCacheBytes > 0 ? (lastLevelCacheBytes >> 10) + " KiB" : "?",
                        lastLevelCacheSource,
                        memoryBytes / (double) (1L << 30),
                        jvm,
                        vectorShape,
                        String.join(" ", jvmFlags));
    }
}
