package dev.mpq.devices.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceProbeTest {

    @TempDir
    Path root;

    private void write(String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private void cache(int index, int level, String type, String size) throws IOException {
        String dir = "sys/devices/system/cpu/cpu0/cache/index" + index + "/";
        write(dir + "level", level + "\n");
        write(dir + "type", type + "\n");
        write(dir + "size", size + "\n");
        write(dir + "shared_cpu_list", "0-15\n");
    }

    @Test
    void readsModelSimdFlagsCachesAndMemory() throws IOException {
        write("proc/cpuinfo", """
                processor\t: 0
                model name\t: Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz
                cache size\t: 49152 KB
                flags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 avx avx2 fma f16c avx512f avx512_vnni aes
                """);
        write("proc/meminfo", "MemTotal:       24683620 kB\nMemFree: 1 kB\n");
        cache(0, 1, "Data", "48K");
        cache(1, 1, "Instruction", "32K");
        cache(2, 2, "Unified", "1280K");
        cache(3, 3, "Unified", "49152K");
        MachineInfo info = new DeviceProbe(root).probe();
        assertThat(info.cpuModel()).isEqualTo("Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz");
        assertThat(info.simdFeatures())
                .containsExactly(
                        "sse",
                        "sse2",
                        "ssse3",
                        "sse4_1",
                        "sse4_2",
                        "avx",
                        "avx2",
                        "fma",
                        "f16c",
                        "avx512f",
                        "avx512_vnni");
        assertThat(info.caches()).hasSize(4);
        assertThat(info.caches().get(3)).isEqualTo(new CacheLevel(3, "Unified", 49152L << 10, "0-15"));
        assertThat(info.lastLevelCacheBytes()).isEqualTo(49152L << 10);
        assertThat(info.lastLevelCacheSource()).isEqualTo("sysfs");
        assertThat(info.memoryBytes()).isEqualTo(24683620L << 10);
        assertThat(info.sizingCacheBytes()).as("never below 64 MiB").isEqualTo(64L << 20);
        dev.mpq.core.worker.MachineProbe probe = info.toProbe(21.5);
        assertThat(probe.cacheBytes())
                .containsEntry("L1d", 48L << 10)
                .containsEntry("L1i", 32L << 10)
                .containsEntry("L2", 1280L << 10)
                .containsEntry("L3", 49152L << 10);
        assertThat(probe.cores()).isEqualTo(info.logicalCores());
        assertThat(probe.bandwidthGbs()).isEqualTo(21.5);
        assertThat(probe.simd()).contains("avx2", "avx512_vnni");
    }

    @Test
    void fallsBackToCpuinfoCacheSizeAndSizesBuffersForAtLeast64MiB() throws IOException {
        write("proc/cpuinfo", "model name\t: AMD EPYC\ncache size\t: 1024 KB\nflags\t: sse avx2 fma\n");
        MachineInfo info = new DeviceProbe(root).probe();
        assertThat(info.caches()).isEmpty();
        assertThat(info.lastLevelCacheBytes()).isEqualTo(1L << 20);
        assertThat(info.lastLevelCacheSource()).isEqualTo("cpuinfo");
        assertThat(info.sizingCacheBytes()).isEqualTo(64L << 20);
        assertThat(info.simdFeatures()).containsExactly("sse", "avx2", "fma");
    }

    @Test
    void readsArmFeaturesWhenThereAreNoFlags() throws IOException {
        write("proc/cpuinfo", "processor\t: 0\nFeatures\t: fp asimd asimddp sve i8mm\nCPU part\t: 0xd40\n");
        MachineInfo info = new DeviceProbe(root).probe();
        assertThat(info.simdFeatures()).containsExactly("asimd", "asimddp", "sve", "i8mm");
        assertThat(info.cpuModel()).isEqualTo("0xd40");
        assertThat(info.lastLevelCacheSource()).isEqualTo("unknown");
    }

    @Test
    void parsesTheSizeSpellingsOfSysfsAndProcfs() {
        assertThat(DeviceProbe.parseSize("32K")).isEqualTo(32768);
        assertThat(DeviceProbe.parseSize("1024 KB")).isEqualTo(1 << 20);
        assertThat(DeviceProbe.parseSize("24683620 kB")).isEqualTo(24683620L << 10);
        assertThat(DeviceProbe.parseSize("8M")).isEqualTo(8L << 20);
        assertThat(DeviceProbe.parseSize("512")).isEqualTo(512);
    }
}
