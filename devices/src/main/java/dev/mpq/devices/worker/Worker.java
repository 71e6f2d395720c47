package dev.mpq.devices.worker;

import dev.mpq.core.worker.ItemFailure;
import dev.mpq.core.worker.MachineProbe;
import dev.mpq.core.worker.Measurement;
import dev.mpq.core.worker.MeasurementReport;
import dev.mpq.core.worker.ProfileItem;
import dev.mpq.core.worker.TaskLease;
import dev.mpq.core.worker.ValidationReport;
import dev.mpq.core.worker.WorkerHello;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The worker's loop (devices/PROTOCOL.md): hello, then lease tasks until stopped. A profile task's
 * measurements are reported in batches of {@code reportEvery} as they are taken, the last one with
 * {@code finished: true}, so a killed worker loses at most the batch in flight. A validation task is
 * run and reported whole. A heartbeat renews the lease on its own thread; a lease lost (409 on a
 * heartbeat or a report) drops the task and the worker leases again. Every wait (polls, retries)
 * goes through {@code pause}, which returns at once when {@code stop} is requested.
 */
public final class Worker {

    /**
     * @param poll the wait after a lease came back empty (204)
     * @param reportEvery measurements per report
     * @param version the worker's version string for hello
     * @param environment how measurements are taken (runtime, flags, threads, CPU), sent with reports
     */
    public record Settings(Duration poll, int reportEvery, String version, String environment) {
        public Settings {
            if (poll == null || poll.isNegative() || poll.isZero()) {
                throw new IllegalArgumentException("Poll interval %s; use a positive duration.".formatted(poll));
            }
            if (reportEvery < 1) {
                throw new IllegalArgumentException(
                        "Report every %d measurements; use 1 or more.".formatted(reportEvery));
            }
        }
    }

    private final WorkerClient client;
    private final ItemMeasurer measurer;
    private final ConfigurationValidator validator;
    private final ModelCache models;
    private final StopSignal stop;
    private final Pause pause;
    private final WorkerLog log;
    private final Settings settings;

    public Worker(
            WorkerClient client,
            ItemMeasurer measurer,
            ConfigurationValidator validator,
            ModelCache models,
            StopSignal stop,
            Pause pause,
            WorkerLog log,
            Settings settings) {
        this.client = client;
        this.measurer = measurer;
        this.validator = validator;
        this.models = models;
        this.stop = stop;
        this.pause = pause;
        this.log = log;
        this.settings = settings;
    }

    /** Runs until stopped: 0 after a stop request, 2 when the server refuses the token. */
    public int run(MachineProbe probe) {
        try {
            WorkerClient.Hello hello = client.hello(new WorkerHello(settings.version(), probe), pause);
            log.info(
                    "registered with %s as worker %d (%s) of device %d",
                    client.server(), hello.workerId(), hello.name(), hello.deviceId());
            while (!stop.requested()) {
                Optional<TaskLease> lease = client.lease(pause);
                if (lease.isEmpty()) {
                    pause.pause(settings.poll());
                    continue;
                }
                try {
                    work(lease.get());
                } catch (WorkerClient.LeaseLost e) {
                    log.info(
                            "task %d: lease lost (%s); leasing again",
                            lease.get().taskId(), e.getMessage());
                } catch (WorkerClient.Refused | ConfigurationValidator.CannotRun e) {
                    log.info(
                            "task %d: %s; leaving it to its lease to expire",
                            lease.get().taskId(), e.getMessage());
                    pause.pause(idle(lease.get()));
                } catch (WorkerClient.Unauthorized | WorkerClient.Stopped e) {
                    throw e;
                } catch (RuntimeException e) {
                    log.info("task %d failed: %s", lease.get().taskId(), e);
                    pause.pause(idle(lease.get()));
                }
            }
            log.info("stopped");
            return 0;
        } catch (WorkerClient.Unauthorized e) {
            log.info("%s", e.getMessage());
            return 2;
        } catch (WorkerClient.Stopped e) {
            log.info("stopped (%s)", e.getMessage());
            return 0;
        }
    }

    /** How long to wait after a task this worker cannot do: until its lease has expired. */
    private Duration idle(TaskLease lease) {
        Duration expiry = Duration.ofSeconds(Math.max(1, lease.leaseSeconds()));
        return expiry.compareTo(settings.poll()) > 0 ? expiry : settings.poll();
    }

    private void work(TaskLease lease) {
        switch (lease.kind()) {
            case TaskLease.PROFILE -> profile(lease);
            case TaskLease.VALIDATE -> validate(lease);
            default -> {
                log.info("task %d has kind '%s', which this worker does not know", lease.taskId(), lease.kind());
                pause.pause(idle(lease));
            }
        }
    }

    private void profile(TaskLease lease) {
        long task = lease.taskId();
        List<ProfileItem> items = lease.items();
        List<ProfileItem> measurable = items.stream().filter(measurer::supports).toList();
        List<ItemFailure> failures = items.stream()
                .filter(item -> !measurer.supports(item))
                .map(item -> new ItemFailure(
                        item.key(),
                        "no %s kernel for precision %s on this worker".formatted(item.layerKind(), item.precision())))
                .toList();
        if (measurable.isEmpty()) {
            log.info(
                    "task %d: none of its %d items has a kernel on this worker (e.g. %s); reporting them as not measurable",
                    task, items.size(), items.isEmpty() ? "-" : items.get(0).precision());
            send(lease, List.of(), failures, true);
            return;
        }
        log.info(
                "task %d: profiling %d items%s, reporting every %d",
                task,
                measurable.size(),
                measurable.size() < items.size()
                        ? " (%d without a kernel here are skipped)".formatted(items.size() - measurable.size())
                        : "",
                settings.reportEvery());
        long start = System.nanoTime();
        try (Heartbeat heartbeat = Heartbeat.start(client, lease, log)) {
            measurer.warmUp(measurable);
            log.info("task %d: kernels warmed up in %.1f s", task, (System.nanoTime() - start) / 1e9);
            List<Measurement> batch = new ArrayList<>();
            int taken = 0;
            for (ProfileItem item : measurable) {
                if (stop.requested() || heartbeat.lost()) {
                    break;
                }
                long itemStart = System.nanoTime();
                Measurement m = measurer.measure(item);
                taken++;
                batch.add(m);
                log.info(
                        "task %d: %s %.4g ms (half-IQR %.2g ms, %d runs) [%d/%d, %.1f s]",
                        task,
                        item.key(),
                        m.seconds() * 1e3,
                        m.spread() * 1e3,
                        m.runs(),
                        taken,
                        measurable.size(),
                        (System.nanoTime() - itemStart) / 1e9);
                boolean last = taken == measurable.size();
                if (batch.size() >= settings.reportEvery() || last) {
                    if (heartbeat.lost()) {
                        break;
                    }
                    send(lease, batch, failures, last);
                    failures = List.of(); // reported once, with the first batch
                    batch = new ArrayList<>();
                }
            }
            if (heartbeat.lost()) {
                log.info("task %d: lease lost; %d measurements not reported are dropped", task, batch.size());
                return;
            }
            if (!batch.isEmpty()) {
                // stopping between items: report what was taken (one attempt when the server is down)
                send(lease, batch, failures, false);
            }
        }
        log.info(
                "task %d: %s after %.1f s",
                task, stop.requested() ? "stopped" : "done", (System.nanoTime() - start) / 1e9);
    }

    private void send(TaskLease lease, List<Measurement> batch, List<ItemFailure> failures, boolean finished) {
        MeasurementReport report = new MeasurementReport(
                lease.leaseToken(), List.copyOf(batch), failures, settings.environment(), finished);
        WorkerClient.ReportAck ack = client.report(lease.taskId(), report, pause);
        log.info(
                "task %d: reported %d (accepted %d, duplicates %d, remaining %d, %s)",
                lease.taskId(), batch.size(), ack.accepted(), ack.duplicates(), ack.remaining(), ack.status());
    }

    private void validate(TaskLease lease) {
        long task = lease.taskId();
        log.info(
                "task %d: validating a configuration of %d layers at batch %d%s",
                task,
                lease.layers().size(),
                lease.batch(),
                lease.modelUrl() == null ? "" : " with the model's output error");
        long start = System.nanoTime();
        try (Heartbeat heartbeat = Heartbeat.start(client, lease, log)) {
            Optional<Path> model = Optional.empty();
            if (lease.modelUrl() != null) {
                try {
                    model = Optional.of(models.get(lease.modelUrl(), pause));
                } catch (WorkerClient.Refused e) {
                    log.info("task %d: no model (%s); measuring latency only", task, e.getMessage());
                }
            }
            Optional<ConfigurationValidator.Outcome> outcome = validator.validate(
                    lease.layers(), Math.max(1, lease.batch()), model, () -> stop.requested() || heartbeat.lost());
            if (outcome.isEmpty() || heartbeat.lost()) {
                log.info("task %d: validation abandoned (%s)", task, heartbeat.lost() ? "lease lost" : "stopping");
                return;
            }
            ConfigurationValidator.Outcome o = outcome.get();
            String status = client.report(
                    task,
                    new ValidationReport(
                            lease.leaseToken(),
                            o.layerSeconds(),
                            o.totalSeconds(),
                            o.outputError(),
                            o.errorMetric(),
                            o.environment()),
                    pause);
            log.info(
                    "task %d: total %.4g ms, output error %s; %s after %.1f s",
                    task,
                    o.totalSeconds() * 1e3,
                    o.outputError() == null ? "not measured" : "%.4g".formatted(o.outputError()),
                    status,
                    (System.nanoTime() - start) / 1e9);
        }
    }
}
