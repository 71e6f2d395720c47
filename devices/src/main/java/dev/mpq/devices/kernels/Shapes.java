package dev.mpq.devices.kernels;

/** Shape checks shared by the weight types, with messages that say what to fix. */
final class Shapes {

    private Shapes() {}

    static void check(String format, int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(
                    "A %s weight matrix of %d x %d; rows and cols must be at least 1.".formatted(format, rows, cols));
        }
        if ((long) rows * cols > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException(
                    "A %s weight matrix of %d x %d has more elements than one Java array holds; split it by rows."
                            .formatted(format, rows, cols));
        }
    }

    static void checkLength(String what, int actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("%s has %d entries; the shape needs %d. Was it packed for another shape?"
                    .formatted(what, actual, expected));
        }
    }

    static void checkGroup(String format, int group) {
        if (group != 32 && group != 64 && group != 128) {
            throw new IllegalArgumentException(
                    "%s with group size %d; use 32, 64 or 128 (CONTRACTS.md section 3).".formatted(format, group));
        }
    }
}
