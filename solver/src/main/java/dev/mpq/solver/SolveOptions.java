package dev.mpq.solver;

import java.time.Duration;

/**
 * Inputs of a run that are not part of the problem: randomness, time and threads are inputs, so a
 * run can be replayed.
 *
 * @param seed the seed of every random choice an engine makes
 * @param timeLimit wall-clock limit; an engine that hits it returns its best points with their gaps
 * @param threads worker threads an engine may use
 */
public record SolveOptions(long seed, Duration timeLimit, int threads) {

    public SolveOptions {
        if (timeLimit == null || timeLimit.isNegative() || timeLimit.isZero()) {
            throw new InvalidProblemException(
                    "time_limit_s", "The time limit is %s; it must be positive.".formatted(timeLimit));
        }
        if (threads < 1) {
            throw new InvalidProblemException("threads", "threads is %d; use at least 1.".formatted(threads));
        }
    }

    public static SolveOptions defaults() {
        return new SolveOptions(0, Duration.ofSeconds(60), Runtime.getRuntime().availableProcessors());
    }

    public double timeLimitSeconds() {
        return timeLimit.toNanos() / 1e9;
    }
}
