package dev.mpq.devices.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that splits a range (rows of a weight matrix) into one contiguous part
 * per thread; the caller runs the first part. Workers spin briefly, then park, between calls, so a
 * call costs microseconds rather than an executor round trip.
 */
public final class KernelThreads implements AutoCloseable {

    /** Work on the half-open range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int start, int end);
    }

    private static final int SPINS = 20_000;

    private final int threads;
    private final Thread[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long generation;
    private volatile boolean closed;
    private volatile Throwable failure;
    private RangeTask task;
    private int total;
    private int align;

    public KernelThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Kernel threads: %d; use at least 1 (the machine has %d cores)."
                    .formatted(threads, Runtime.getRuntime().availableProcessors()));
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int part = i + 1;
            workers[i] = new Thread(() -> workLoop(part), "mpq-kernel-" + part);
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    /** All cores the JVM sees. */
    public static KernelThreads allCores() {
        return new KernelThreads(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /** Splits {@code [0, total)} into parts that start at multiples of {@code align} and runs them in parallel. */
    public void forEachRange(int total, int align, RangeTask task) {
        if (threads == 1 || total <= align) {
            task.run(0, total);
            return;
        }
        if (closed) {
            throw new IllegalStateException("These kernel threads are closed; create new ones.");
        }
        this.task = task;
        this.total = total;
        this.align = align;
        this.failure = null;
        pending.set(workers.length);
        generation++;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
        Throwable own = null;
        try {
            runPart(0);
        } catch (Throwable t) {
            own = t;
        }
        int spins = 0;
        while (pending.get() != 0) {
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        this.task = null;
        Throwable failed = own != null ? own : failure;
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
        if (failed != null) {
            throw new IllegalStateException(failed);
        }
    }

    private void runPart(int part) {
        long units = (total + (long) align - 1) / align;
        long perPart = (units + threads - 1) / threads;
        int start = (int) Math.min(total, part * perPart * align);
        int end = (int) Math.min(total, (part + 1) * perPart * align);
        if (start < end) {
            task.run(start, end);
        }
    }

    private void workLoop(int part) {
        long seen = 0;
        int spins = 0;
        while (!closed) {
            long current = generation;
            if (current == seen) {
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
                continue;
            }
            seen = current;
            spins = 0;
            try {
                runPart(part);
            } catch (Throwable t) {
                failure = t;
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
    }
}
