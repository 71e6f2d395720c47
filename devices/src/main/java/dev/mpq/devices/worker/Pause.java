package dev.mpq.devices.worker;

import java.time.Duration;

/**
 * Waiting between retries and polls, interrupted by a stop request: the worker's only way of
 * sleeping, so SIGTERM ends a wait at once and tests can record the waits instead of sleeping.
 */
@FunctionalInterface
public interface Pause {

    /** Waits up to {@code duration}; false when the worker is stopping (return at once then). */
    boolean pause(Duration duration);
}
