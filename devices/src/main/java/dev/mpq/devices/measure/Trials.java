package dev.mpq.devices.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    /** Seconds per operation: the median of the trials, their range and their quartiles. */
    public record Result(
            double medianSeconds,
            double minSeconds,
            double maxSeconds,
            double lowerQuartileSeconds,
            double upperQuartileSeconds,
            int trials,
            int repetitions) {

        /** A result without quartiles (they equal the range). */
        public Result(double medianSeconds, double minSeconds, double maxSeconds, int trials, int repetitions) {
            this(medianSeconds, minSeconds, maxSeconds, minSeconds, maxSeconds, trials, repetitions);
        }

        /** Half the interquartile range, the spread the worker protocol reports. */
        public double halfInterquartileRange() {
            return (upperQuartileSeconds - lowerQuartileSeconds) / 2;
        }

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
        return measureInterleaved(List.of(operation)).get(0);
    }

    /**
     * Warms up each operation, then times their trials in turn (trial 1 of each, trial 2 of
     * each, ...), so that on a machine shared with other work every operation sees the same
     * conditions: the fair way to set two runtimes side by side.
     */
    public List<Result> measureInterleaved(List<Runnable> operations) {
        double[] none = new double[operations.size()];
        java.util.Arrays.fill(none, Double.MAX_VALUE);
        return measureInterleaved(operations, none);
    }

    /**
     * As {@link #measureInterleaved(List)}, with a bound per operation: its warm-up goes on (up to
     * {@link #MAX_WARMUP_SECONDS}) while a call takes longer than {@code plausibleSeconds[i]}, so a
     * kernel still running unintrinsified (the Vector API before C2, or after a deoptimization),
     * whose time is slow but steady, is not mistaken for warmed up.
     */
    public List<Result> measureInterleaved(List<Runnable> operations, double[] plausibleSeconds) {
        int n = operations.size();
        int[] repetitions = new int[n];
        for (int i = 0; i < n; i++) {
            repetitions[i] = warmUp(operations.get(i), plausibleSeconds[i]);
        }
        double[][] seconds = new double[n][trials];
        for (int t = 0; t < trials; t++) {
            for (int i = 0; i < n; i++) {
                Runnable operation = operations.get(i);
                long start = System.nanoTime();
                for (int r = 0; r < repetitions[i]; r++) {
                    operation.run();
                }
                seconds[i][t] = (System.nanoTime() - start) / 1e9 / repetitions[i];
            }
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] s = seconds[i];
            Arrays.sort(s);
            double median = trials % 2 == 1 ? s[trials / 2] : (s[trials / 2 - 1] + s[trials / 2]) / 2;
            results.add(new Result(
                    median, s[0], s[trials - 1], quantile(s, 0.25), quantile(s, 0.75), trials, repetitions[i]));
        }
        return results;
    }

    /** Linear interpolation between order statistics of sorted values. */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /** Upper bound of one operation's warm-up, whatever the JIT is doing. */
    static final double MAX_WARMUP_SECONDS = 10;

    /**
     * Runs the operation in rounds until the warm-up time has passed and two rounds in a row were
     * no more than 5 % faster than the best before (so the JIT has finished with it: the Vector
     * API runs a thousand times slower before C2 compiles it, and on a loaded machine compilation
     * can take seconds), at most {@link #MAX_WARMUP_SECONDS}; returns the repetitions per trial.
     */
    private int warmUp(Runnable operation, double plausibleSeconds) {
        long start = System.nanoTime();
        long minEnd = start + (long) (warmupSeconds * 1e9);
        long maxEnd = start + (long) (Math.max(MAX_WARMUP_SECONDS, warmupSeconds) * 1e9);
        long round = (long) (Math.max(0.05, warmupSeconds / 5) * 1e9);
        double best = Double.MAX_VALUE;
        int steady = 0;
        while (true) {
            long roundStart = System.nanoTime();
            int calls = 0;
            long now;
            do {
                operation.run();
                calls++;
                now = System.nanoTime();
            } while (now - roundStart < round);
            double perCall = (now - roundStart) / 1e9 / calls;
            if (perCall < 0.95 * best) {
                best = perCall;
                steady = 0;
            } else {
                steady++;
            }
            if ((now >= minEnd && steady >= 2 && best <= plausibleSeconds) || now >= maxEnd) {
                break;
            }
        }
        return (int) Math.max(1, Math.min(1_000_000, Math.ceil(minTrialSeconds / best)));
    }
}
