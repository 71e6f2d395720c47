package dev.mpq.devices.worker;

import dev.mpq.core.worker.TaskLease;
import java.time.Duration;

/**
 * Renews a lease on its own thread every third of {@code leaseSeconds} while the worker measures;
 * {@link #lost()} turns true when the server answers 409 (the lease went to another worker) or
 * refuses the token. Closing it stops the renewals (an unfinished task's lease then expires).
 */
public final class Heartbeat implements AutoCloseable {

    private final WorkerClient client;
    private final TaskLease lease;
    private final WorkerLog log;
    private final Duration interval;
    private final StopSignal stop = new StopSignal();
    private final Thread thread;
    private volatile boolean lost;
    private volatile int beats;

    private Heartbeat(WorkerClient client, TaskLease lease, WorkerLog log) {
        this.client = client;
        this.lease = lease;
        this.log = log;
        this.interval = interval(lease.leaseSeconds());
        this.thread = new Thread(this::beat, "mpq-heartbeat-" + lease.taskId());
        this.thread.setDaemon(true);
    }

    /** Starts renewing {@code lease}. */
    public static Heartbeat start(WorkerClient client, TaskLease lease, WorkerLog log) {
        Heartbeat heartbeat = new Heartbeat(client, lease, log);
        heartbeat.thread.start();
        return heartbeat;
    }

    public Duration interval() {
        return interval;
    }

    /** A third of the lease (at least 100 ms). */
    static Duration interval(long leaseSeconds) {
        return Duration.ofMillis(Math.max(100, leaseSeconds * 1000 / 3));
    }

    /** True once the server said the lease is no longer this worker's. */
    public boolean lost() {
        return lost;
    }

    /** Renewals the server accepted so far. */
    public int beats() {
        return beats;
    }

    private void beat() {
        while (stop.pause(interval)) {
            try {
                if (client.heartbeat(lease.taskId(), lease.leaseToken(), stop)) {
                    beats++;
                } else {
                    lost = true;
                    log.info(
                            "task %d: heartbeat answered 409 (the lease expired and was taken over, or the task is done)",
                            lease.taskId());
                    return;
                }
            } catch (WorkerClient.Stopped e) {
                return;
            } catch (WorkerClient.Unauthorized | WorkerClient.Refused e) {
                lost = true;
                log.info("task %d: heartbeat refused: %s", lease.taskId(), e.getMessage());
                return;
            } catch (RuntimeException e) {
                log.info("task %d: heartbeat failed: %s", lease.taskId(), e);
            }
        }
    }

    @Override
    public void close() {
        stop.request();
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
