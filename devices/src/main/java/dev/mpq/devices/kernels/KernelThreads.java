package dev.mpq.devices.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that splits a range (rows of a weight matrix) into contiguous chunks,
 * {@value #CHUNKS_PER_THREAD} per thread, which the threads (the caller among them) take in turn.
 * The caller returns once every chunk is done, whether or not each worker has woken up: on a
 * machine shared with other work, a descheduled thread leaves its chunks to the others instead of
 * holding everyone up. Workers spin briefly, then park, between calls, so a call costs
 * microseconds rather than an executor round trip.
 */
public final class KernelThreads implements AutoCloseable {

    /** Work on the half-open range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int start, int end);
    }

    /** Chunks per thread: enough to rebalance when a thread stalls, few enough to keep chunks long. */
    static final int CHUNKS_PER_THREAD = 4;

    private static final int SPINS = 2_000;

    /** One parallel call: its chunks, the next chunk to take, the chunks finished. */
    private static final class Call {
        final RangeTask task;
        final int total;
        final int align;
        final int chunks;
        final long unitsPerChunk;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Call(RangeTask task, int total, int align, int threads) {
            this.task = task;
            this.total = total;
            this.align = align;
            long units = (total + (long) align - 1) / align;
            this.chunks = (int) Math.min(units, (long) threads * CHUNKS_PER_THREAD);
            this.unitsPerChunk = (units + chunks - 1) / chunks;
        }

        void work() {
            for (int chunk = next.getAndIncrement(); chunk < chunks; chunk = next.getAndIncrement()) {
                try {
                    int start = (int) Math.min(total, chunk * unitsPerChunk * align);
                    int end = (int) Math.min(total, (chunk + 1) * unitsPerChunk * align);
                    if (start < end) {
                        task.run(start, end);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }

    private final int threads;
    private final Thread[] workers;
    private volatile Call current;
    private volatile boolean closed;

    public KernelThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Kernel threads: %d; use at least 1 (the machine has %d cores)."
                    .formatted(threads, Runtime.getRuntime().availableProcessors()));
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Thread(this::workLoop, "mpq-kernel-" + (i + 1));
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

    /** Splits {@code [0, total)} into chunks that start at multiples of {@code align} and runs them in parallel. */
    public void forEachRange(int total, int align, RangeTask task) {
        if (threads == 1 || total <= align) {
            task.run(0, total);
            return;
        }
        if (closed) {
            throw new IllegalStateException("These kernel threads are closed; create new ones.");
        }
        Call call = new Call(task, total, align, threads);
        current = call;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
        call.work();
        int spins = 0;
        while (call.done.get() < call.chunks) {
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        Throwable failed = call.failure.get();
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

    private void workLoop() {
        Call seen = null;
        int spins = 0;
        while (!closed) {
            Call call = current;
            if (call == seen) {
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
                continue;
            }
            seen = call;
            spins = 0;
            call.work();
        }
    }

    @Override
    public void close() {
        closed = true;
        current = null;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
    }
}
