package dev.mpq.devices.worker;

import java.time.Duration;

/**
 * Exponential backoff between retries of a call: {@code initial}, twice that, ... capped at {@code max}
 * (the protocol's rule: 1 s doubling to 30 s).
 */
public record Backoff(Duration initial, Duration max) {

    /** 1 s, 2 s, 4 s, ... 30 s (devices/PROTOCOL.md, rule 4). */
    public static final Backoff PROTOCOL = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    public Backoff {
        if (initial == null || max == null || initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "Backoff from %s to %s; use a positive first delay and a cap at least as long, e.g. 1 s to 30 s."
                            .formatted(initial, max));
        }
    }

    /** The pause before retry number {@code attempt} (0 = the first retry). */
    public Duration delay(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("Retry attempt %d; attempts count from 0.".formatted(attempt));
        }
        Duration d = initial;
        for (int i = 0; i < attempt && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
