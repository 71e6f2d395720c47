package dev.mpq.devices.worker;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stop request (SIGTERM, or the end of a heartbeat): once requested, every {@link #pause} returns
 * false at once, and the worker stops between items.
 */
public final class StopSignal implements Pause {

    private final CountDownLatch stop = new CountDownLatch(1);

    public void request() {
        stop.countDown();
    }

    public boolean requested() {
        return stop.getCount() == 0;
    }

    @Override
    public boolean pause(Duration duration) {
        try {
            return !stop.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
