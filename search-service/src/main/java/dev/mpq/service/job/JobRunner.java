package dev.mpq.service.job;

import dev.mpq.service.MpqProperties;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This replica's share of the job queue: {@code mpq.jobs.workers} threads claim jobs with a lease,
 * run their handler, and renew their leases while they work. At shutdown the running jobs go back
 * to the queue; after a crash their leases expire and any replica takes them over. With the
 * embedded database no other replica can exist, so at start every job left RUNNING is queued again
 * at once. With {@code mpq.jobs.workers = 0} a replica serves the API and runs no jobs.
 */
@Component
public class JobRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobRepository jobs;
    private final Map<String, JobHandler> handlers;
    private final MpqProperties.Jobs settings;
    private final boolean exclusiveDatabase;
    private final String owner;
    private volatile boolean running;
    private ExecutorService workers;
    private ScheduledExecutorService heartbeat;

    JobRunner(JobRepository jobs, List<JobHandler> handlers, MpqProperties properties) {
        this.jobs = jobs;
        this.handlers = handlers.stream().collect(Collectors.toMap(JobHandler::kind, Function.identity()));
        this.settings = properties.jobs();
        this.exclusiveDatabase = !properties.db().external();
        this.owner = ownerId();
    }

    private static String ownerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return host + ":" + ManagementFactory.getRuntimeMXBean().getPid() + ":"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The lease owner id of this replica. */
    public String owner() {
        return owner;
    }

    @Override
    public void start() {
        if (exclusiveDatabase) {
            int released = jobs.releaseAll();
            if (released > 0) {
                log.info("Queued {} job(s) again that were running when the service last stopped", released);
            }
        }
        running = true;
        if (settings.workers() == 0) {
            log.info("Job runner {} runs no jobs (mpq.jobs.workers = 0): this replica serves the API only", owner);
            return;
        }
        AtomicInteger counter = new AtomicInteger();
        workers = Executors.newFixedThreadPool(settings.workers(), r -> {
            Thread thread = new Thread(r, "mpq-job-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < settings.workers(); i++) {
            workers.submit(this::work);
        }
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "mpq-job-lease");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, settings.lease().toMillis() / 3);
        heartbeat.scheduleAtFixedRate(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
        log.info("Job runner {} started with {} worker(s)", owner, settings.workers());
    }

    private void renewLeases() {
        try {
            jobs.renew(owner, settings.lease());
        } catch (RuntimeException e) {
            log.warn("Could not renew job leases: {}", e.getMessage());
        }
    }

    private void work() {
        while (running) {
            try {
                Optional<JobRepository.Claimed> claimed = jobs.claim(owner, settings.lease());
                if (claimed.isPresent()) {
                    run(claimed.get());
                } else {
                    Thread.sleep(settings.poll().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("Job runner error: {}", e.toString());
                sleepQuietly();
            }
        }
    }

    private void run(JobRepository.Claimed job) {
        if (job.attempts() > settings.maxAttempts()) {
            jobs.fail(
                    job.id(),
                    owner,
                    "Gave up after %d attempts: each run ended without finishing (process killed or crashed)."
                            .formatted(job.attempts() - 1));
            return;
        }
        JobHandler handler = handlers.get(job.kind());
        if (handler == null) {
            jobs.fail(job.id(), owner, "No handler for job kind '%s'.".formatted(job.kind()));
            return;
        }
        log.info("Running {} job {} (attempt {})", job.kind(), job.id(), job.attempts());
        try {
            handler.run(new Context(job));
        } catch (LeaseLostException e) {
            log.warn(e.getMessage());
        } catch (Exception e) {
            if (!running) {
                return; // shutting down: the job is released and runs again
            }
            log.warn("{} job {} failed: {}", job.kind(), job.id(), e.toString());
            jobs.fail(job.id(), owner, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(settings.poll().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
            try {
                workers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            int released = jobs.release(owner);
            if (released > 0) {
                log.info("Released {} running job(s) back to the queue", released);
            }
        } catch (RuntimeException e) {
            log.warn("Could not release running jobs ({}); their leases will expire", e.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server and the database pool, starts after them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }

    private final class Context implements JobContext {
        private final JobRepository.Claimed job;

        Context(JobRepository.Claimed job) {
            this.job = job;
        }

        @Override
        public long jobId() {
            return job.id();
        }

        @Override
        public int attempt() {
            return job.attempts();
        }

        @Override
        public void progress(double fraction) {
            jobs.progress(job.id(), owner, Math.max(0, Math.min(1, fraction)));
        }

        @Override
        public void complete() {
            if (!jobs.complete(job.id(), owner)) {
                throw new LeaseLostException(job.id());
            }
        }
    }
}
