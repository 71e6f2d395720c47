package dev.mpq.devices.probe;

import dev.mpq.devices.kernels.Lanes;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Probes the machine the worker runs on: CPU model, cores, SIMD features (from /proc/cpuinfo's
 * flags), caches (sysfs), memory (/proc/meminfo). Files are read under a root directory so tests
 * can hand it a fake /proc and /sys. Memory bandwidth is measured separately by {@link TriadBandwidth}.
 */
public final class DeviceProbe {

    private static final Set<String> SIMD_FLAGS = Set.of(
            "sse",
            "sse2",
            "pni",
            "ssse3",
            "sse4_1",
            "sse4_2",
            "avx",
            "avx2",
            "fma",
            "f16c",
            "avx_vnni",
            "avx_vnni_int8",
            "avx_ne_convert",
            "amx_tile",
            "amx_int8",
            "amx_bf16",
            "amx_fp16",
            "asimd",
            "asimddp",
            "asimdhp",
            "sve",
            "sve2",
            "i8mm",
            "bf16");

    private final Path root;

    /** A probe of this machine. */
    public DeviceProbe() {
        this(Path.of("/"));
    }

    /** A probe that reads {@code proc/cpuinfo}, {@code proc/meminfo} and {@code sys/...} under {@code root}. */
    public DeviceProbe(Path root) {
        this.root = root;
    }

    public MachineInfo probe() {
        List<String> cpuinfo = lines(root.resolve("proc/cpuinfo"));
        String model = firstValue(cpuinfo, "model name")
                .or(() -> firstValue(cpuinfo, "Model"))
                .or(() -> firstValue(cpuinfo, "CPU part"))
                .orElse(System.getProperty("os.arch"));
        List<String> flags = firstValue(cpuinfo, "flags")
                .or(() -> firstValue(cpuinfo, "Features"))
                .map(v -> Arrays.asList(v.trim().split("\\s+")))
                .orElse(List.of());
        Set<String> simd = new LinkedHashSet<>();
        for (String flag : flags) {
            String f = flag.toLowerCase(Locale.ROOT);
            if (SIMD_FLAGS.contains(f) || f.startsWith("avx512")) {
                simd.add(f);
            }
        }
        List<CacheLevel> caches = caches(root.resolve("sys/devices/system/cpu/cpu0/cache"));
        long llc = caches.stream().mapToLong(CacheLevel::sizeBytes).max().orElse(0);
        String source = "sysfs";
        if (llc == 0) {
            llc = firstValue(cpuinfo, "cache size").map(DeviceProbe::parseSize).orElse(0L);
            source = llc > 0 ? "cpuinfo" : "unknown";
        }
        long memory = firstValue(lines(root.resolve("proc/meminfo")), "MemTotal")
                .map(DeviceProbe::parseSize)
                .orElse(Runtime.getRuntime().maxMemory());
        String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        List<String> jvmFlags = ManagementFactory.getRuntimeMXBean().getInputArguments();
        return new MachineInfo(
                model,
                Runtime.getRuntime().availableProcessors(),
                List.copyOf(simd),
                caches,
                llc,
                source,
                memory,
                jvm,
                jvmFlags,
                Lanes.describe());
    }

    private static List<CacheLevel> caches(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<CacheLevel> caches = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path index : entries.filter(p -> p.getFileName().toString().startsWith("index"))
                    .sorted()
                    .toList()) {
                String level = read(index.resolve("level"));
                String size = read(index.resolve("size"));
                if (level.isEmpty() || size.isEmpty()) {
                    continue;
                }
                caches.add(new CacheLevel(
                        Integer.parseInt(level),
                        read(index.resolve("type")),
                        parseSize(size),
                        read(index.resolve("shared_cpu_list"))));
            }
        } catch (IOException | RuntimeException e) {
            return List.copyOf(caches);
        }
        return List.copyOf(caches);
    }

    /** Sizes as sysfs and procfs write them: {@code 32K}, {@code 1024 KB}, {@code 24683620 kB}, {@code 8M}, plain bytes. */
    static long parseSize(String text) {
        String t = text.trim()
                .toUpperCase(Locale.ROOT)
                .replace("IB", "")
                .replace("B", "")
                .trim();
        long unit = 1;
        if (t.endsWith("K")) {
            unit = 1L << 10;
        } else if (t.endsWith("M")) {
            unit = 1L << 20;
        } else if (t.endsWith("G")) {
            unit = 1L << 30;
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1).trim();
        return Long.parseLong(digits) * unit;
    }

    private static java.util.Optional<String> firstValue(List<String> lines, String key) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return java.util.Optional.of(line.substring(colon + 1).trim());
            }
        }
        return java.util.Optional.empty();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
