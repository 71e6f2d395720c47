package dev.mpq.sensitivity.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's peak resident set (VmHWM in /proc/self/status), or -1 where there is no /proc. */
public final class PeakMemory {

    private PeakMemory() {}

    public static long peakRssBytes() {
        return statusField("VmHWM:");
    }

    public static long currentRssBytes() {
        return statusField("VmRSS:");
    }

    private static long statusField(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
