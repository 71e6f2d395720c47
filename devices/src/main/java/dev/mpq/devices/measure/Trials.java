package dev.mpq.devices.measure;

import java.util.Arrays;

/**
 * Benchmark discipline of a harness without JMH forks: warm up (so the JIT has compiled the
 * kernel), then time repeated trials, each long enough to dwarf the clock's resolution, and
 * report the median with the spread. Speed is measured here, never asserted by a test.
 *
 * @param warmupSeconds minimum warm-up time
 * @param trials number of timed trials
 * @param minTrialSeconds each trial repeats the operation until it lasts at least this long
 */
public record Trials(double warmupSeconds, int trials, double minTrialSeconds) {

    /** Seconds per operation: the median of the trials and their range. */
    public record Result(double medianSeconds, double minSeconds, double maxSeconds, int trials, int repetitions) {

        /** (max - min) / median. */
        public double relativeSpread() {
            return (maxSeconds - minSeconds) / medianSeconds;
        }
    }

    public Trials {
        if (!(warmupSeconds >= 0) || trials < 1 || !(minTrialSeconds > 0)) {
            throw new IllegalArgumentException("Trials(warm-up %s s, %d trials, %s s each); use warm-up >= 0, at least"
                            .formatted(warmupSeconds, trials, minTrialSeconds)
                    + " one trial, a positive trial length.");
        }
    }

    public Result measure(Runnable operation) {
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        int calls = 0;
        long warmupStart = System.nanoTime();
        do {
            operation.run();
            calls++;
        } while (System.nanoTime() < warmupEnd || calls < 2);
        double perCall = (System.nanoTime() - warmupStart) / 1e9 / calls;
        int repetitions = (int) Math.max(1, Math.min(1_000_000, Math.ceil(minTrialSeconds / perCall)));
        double[] seconds = new double[trials];
        for (int t = 0; t < trials; t++) {
            long start = System.nanoTime();
            for (int i = 0; i < repetitions; i++) {
                operation.run();
            }
            seconds[t] = (System.nanoTime() - start) / 1e9 / repetitions;
        }
        Arrays.sort(seconds);
        double median = trials % 2 == 1 ? seconds[trials / 2] : (seconds[trials / 2 - 1] + seconds[trials / 2]) / 2;
        return new Result(median, seconds[0], seconds[trials - 1], trials, repetitions);
    }
}
