package dev.mpq.devices.probe;

/**
 * One CPU cache as the kernel reports it in sysfs.
 *
 * @param level 1, 2, 3, ...
 * @param type {@code Data}, {@code Instruction} or {@code Unified}
 * @param sizeBytes capacity of one instance
 * @param sharedCpus the logical CPUs sharing one instance, e.g. {@code 0-7}
 */
public record CacheLevel(int level, String type, long sizeBytes, String sharedCpus) {

    public CacheLevel {
        if (level < 1 || sizeBytes < 0) {
            throw new IllegalArgumentException(
                    "Cache level %d of %d bytes; levels start at 1 and sizes are not negative."
                            .formatted(level, sizeBytes));
        }
    }
}
