package dev.mpq.core.worker;

/**
 * The measured latency of one profile item: the median of {@code runs} timed runs after warm-up.
 *
 * @param itemKey the {@link ProfileItem#key()} it answers
 * @param seconds median seconds of one run
 * @param spread half the interquartile range of the runs, in seconds
 * @param runtime {@code java} or {@code onnxruntime} (or a GPU worker's runtime)
 * @param threads threads the kernel used
 */
public record Measurement(String itemKey, double seconds, double spread, int runs, String runtime, int threads) {

    public Measurement {
        if (itemKey == null || itemKey.isBlank()) {
            throw new IllegalArgumentException("A measurement needs the key of the item it answers.");
        }
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException(
                    "Measurement of %s has %s seconds; a latency must be a positive finite number."
                            .formatted(itemKey, seconds));
        }
        if (!(spread >= 0) || Double.isInfinite(spread)) {
            throw new IllegalArgumentException(
                    "Measurement of %s has spread %s; use a finite number >= 0.".formatted(itemKey, spread));
        }
        if (runs < 1) {
            throw new IllegalArgumentException("Measurement of %s has %d runs; at least 1.".formatted(itemKey, runs));
        }
    }
}
