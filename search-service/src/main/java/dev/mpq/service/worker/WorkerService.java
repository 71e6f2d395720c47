package dev.mpq.service.worker;

import dev.mpq.core.LayerSpec;
import dev.mpq.core.NetworkSpec;
import dev.mpq.core.worker.ItemFailure;
import dev.mpq.core.worker.Measurement;
import dev.mpq.core.worker.MeasurementReport;
import dev.mpq.core.worker.ProfileItem;
import dev.mpq.core.worker.TaskLease;
import dev.mpq.core.worker.ValidateLayer;
import dev.mpq.core.worker.ValidationReport;
import dev.mpq.core.worker.WorkerHello;
import dev.mpq.service.api.ConflictException;
import dev.mpq.service.api.InvalidRequestException;
import dev.mpq.service.api.NotFoundException;
import dev.mpq.service.device.DeviceModels;
import dev.mpq.service.device.DeviceRepository;
import dev.mpq.service.events.MeasuredTableCompleted;
import dev.mpq.service.network.NetworkModelRepository;
import dev.mpq.service.network.NetworkRepository;
import dev.mpq.service.network.StoredNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service side of the worker protocol (devices/PROTOCOL.md): workers and their tokens, tasks,
 * leases, and reports that count once.
 */
@Service
public class WorkerService {

    private final WorkerRepository workers;
    private final DeviceRepository devices;
    private final DeviceModels models;
    private final NetworkModelRepository weights;
    private final NetworkRepository networks;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Duration lease;

    WorkerService(
            WorkerRepository workers,
            DeviceRepository devices,
            DeviceModels models,
            NetworkModelRepository weights,
            NetworkRepository networks,
            ApplicationEventPublisher events,
            JsonMapper json,
            dev.mpq.service.MpqProperties properties) {
        this.lease = properties.workers().lease();
        this.workers = workers;
        this.devices = devices;
        this.models = models;
        this.weights = weights;
        this.networks = networks;
        this.events = events;
        this.json = json;
    }

    /** A new worker's credentials: the token is returned here and never again. */
    public record IssuedWorker(long id, long deviceId, String name, String token) {}

    /** What the service answers to a measurement report. */
    public record ReportAck(int accepted, int duplicates, int remaining, String status) {}

    record ProfileSpec(List<ProfileItem> items) {}

    record ValidateSpec(List<ValidateLayer> layers, int batch, Map<String, Double> predicted) {}

    /** How long a lease lasts without a heartbeat. */
    public Duration lease() {
        return lease;
    }

    @Transactional
    public IssuedWorker addWorker(long deviceId, String name) {
        devices.find(deviceId).orElseThrow(() -> new NotFoundException("Device", deviceId));
        String workerName = name == null || name.isBlank()
                ? "worker-" + (workers.workers(deviceId).size() + 1)
                : name;
        if (workers.workerNameTaken(deviceId, workerName)) {
            throw new ConflictException(
                    "name", "Device %d has a worker named '%s' already.".formatted(deviceId, workerName));
        }
        String token = WorkerTokens.newToken();
        long id = workers.insertWorker(deviceId, workerName, WorkerTokens.sha256(token));
        return new IssuedWorker(id, deviceId, workerName, token);
    }

    @Transactional
    public long planProfile(long deviceId, long networkId, List<String> precisions, List<Integer> batches) {
        devices.find(deviceId).orElseThrow(() -> new NotFoundException("Device", deviceId));
        StoredNetwork network = networks.find(networkId)
                .orElseThrow(() ->
                        new InvalidRequestException("networkId", "Network %d does not exist.".formatted(networkId)));
        List<ProfileItem> items = ProfilePlan.items(network.spec(), precisions, batches);
        return workers.insertTask(deviceId, TaskLease.PROFILE, networkId, null, null, new ProfileSpec(items));
    }

    /**
     * Validation tasks for points of a finished search: the layers with their chosen precisions and
     * the predicted metrics to compare with.
     */
    @Transactional
    public List<Long> planValidations(
            long searchId, long networkId, long deviceId, JsonNode result, List<Integer> points, int batch) {
        if (result == null || !result.has("points")) {
            throw new InvalidRequestException(
                    "points", "Search %d has no result yet; validate it once it is done.".formatted(searchId));
        }
        if (points == null || points.isEmpty()) {
            throw new InvalidRequestException(
                    "points", "Name the indices of the front points to validate, e.g. [0, 5].");
        }
        if (batch < 1 || batch > ProfilePlan.MAX_BATCH) {
            throw new InvalidRequestException("batch", "Batch %d: use 1..%d.".formatted(batch, ProfilePlan.MAX_BATCH));
        }
        NetworkSpec network = networks.find(networkId).orElseThrow().spec();
        JsonNode front = result.get("points");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Integer index = points.get(i);
            if (index == null || index < 0 || index >= front.size()) {
                throw new InvalidRequestException(
                        "points[%d]".formatted(i),
                        "Point %s does not exist; the front has %d points.".formatted(index, front.size()));
            }
            JsonNode point = front.get(index);
            List<ValidateLayer> layers = new ArrayList<>();
            for (LayerSpec layer : network.layers()) {
                layers.add(new ValidateLayer(
                        layer.name(),
                        layer.kind().id(),
                        layer.shape(),
                        layer.macs(),
                        point.get("choices").get(layer.name()).asString()));
            }
            Map<String, Double> predicted = new LinkedHashMap<>();
            point.get("metrics")
                    .properties()
                    .forEach(e -> predicted.put(e.getKey(), e.getValue().asDouble()));
            ids.add(workers.insertTask(
                    deviceId,
                    TaskLease.VALIDATE,
                    networkId,
                    searchId,
                    index,
                    new ValidateSpec(layers, batch, predicted)));
        }
        return ids;
    }

    /** A worker may download a network's weights only if its device has a task on that network. */
    public void requireTaskOnNetwork(AuthenticatedWorker worker, long networkId) {
        if (!workers.hasTaskOnNetwork(worker.deviceId(), networkId)) {
            throw new NotFoundException(
                    "Weights of a network with tasks for device " + worker.deviceId() + ": network", networkId);
        }
    }

    @Transactional
    public void hello(AuthenticatedWorker worker, WorkerHello hello) {
        workers.hello(worker.workerId(), hello.workerVersion(), hello.probe());
    }

    /** The next task of the worker's device, if any, with the items still missing. */
    @Transactional
    public Optional<TaskLease> lease(AuthenticatedWorker worker) {
        String token = WorkerTokens.leaseToken();
        Optional<WorkerRepository.TaskRow> leased = workers.lease(worker.deviceId(), worker.workerId(), token, lease);
        if (leased.isEmpty()) {
            return Optional.empty();
        }
        WorkerRepository.TaskRow task = leased.get();
        if (task.kind().equals(TaskLease.PROFILE)) {
            Set<String> done = new java.util.HashSet<>(workers.measuredKeys(task.id()));
            done.addAll(workers.failures(task.id()).keySet());
            List<ProfileItem> missing = json.readValue(task.specJson(), ProfileSpec.class).items().stream()
                    .filter(item -> !done.contains(item.key()))
                    .toList();
            return Optional.of(new TaskLease(
                    task.id(),
                    task.kind(),
                    token,
                    Math.max(1, lease.toSeconds()),
                    task.deviceId(),
                    missing,
                    List.of(),
                    0,
                    null));
        }
        ValidateSpec spec = json.readValue(task.specJson(), ValidateSpec.class);
        String modelUrl = weights.info(task.networkId()).isPresent()
                ? "/api/worker/networks/%d/model".formatted(task.networkId())
                : null;
        return Optional.of(new TaskLease(
                task.id(),
                task.kind(),
                token,
                Math.max(1, lease.toSeconds()),
                task.deviceId(),
                List.of(),
                spec.layers(),
                spec.batch(),
                modelUrl));
    }

    /** Extends a lease; false when the lease is no longer the worker's. */
    @Transactional
    public boolean heartbeat(AuthenticatedWorker worker, long taskId, String leaseToken) {
        ownTask(worker, taskId);
        return workers.renew(taskId, leaseToken, lease);
    }

    @Transactional
    public ReportAck reportMeasurements(AuthenticatedWorker worker, long taskId, MeasurementReport report) {
        WorkerRepository.TaskRow current = ownTask(worker, taskId);
        if (current.status().equals("DONE")
                && report.leaseToken() != null
                && report.leaseToken().equals(current.leaseToken())) {
            return new ReportAck(0, report.measurements().size(), 0, "DONE"); // a retried last report
        }
        WorkerRepository.TaskRow task = lockedLease(worker, taskId, report.leaseToken(), TaskLease.PROFILE);
        Map<String, ProfileItem> items = json.readValue(task.specJson(), ProfileSpec.class).items().stream()
                .collect(Collectors.toMap(ProfileItem::key, Function.identity()));
        int accepted = 0;
        int duplicates = 0;
        for (int i = 0; i < report.measurements().size(); i++) {
            Measurement m = report.measurements().get(i);
            ProfileItem item = items.get(m.itemKey());
            if (item == null) {
                throw new InvalidRequestException(
                        "measurements[%d].itemKey".formatted(i),
                        "Task %d has no item '%s'.".formatted(taskId, m.itemKey()));
            }
            if (workers.insertMeasurement(task, item, m, report.environment(), worker.workerId())) {
                accepted++;
            } else {
                duplicates++;
            }
        }
        for (int i = 0; i < report.failures().size(); i++) {
            ItemFailure failure = report.failures().get(i);
            if (!items.containsKey(failure.itemKey())) {
                throw new InvalidRequestException(
                        "failures[%d].itemKey".formatted(i),
                        "Task %d has no item '%s'.".formatted(taskId, failure.itemKey()));
            }
            workers.insertFailure(taskId, failure.itemKey(), failure.reason(), worker.workerId());
        }
        Set<String> measured = workers.measuredKeys(taskId);
        Map<String, String> failed = workers.failures(taskId);
        int remaining = (int) items.keySet().stream()
                .filter(key -> !measured.contains(key) && !failed.containsKey(key))
                .count();
        String status = task.status();
        if (remaining == 0) {
            String gaps = failed.isEmpty()
                    ? null
                    : "%d of %d items could not be measured on this device (e.g. %s: %s)"
                            .formatted(
                                    failed.size(),
                                    items.size(),
                                    failed.keySet().iterator().next(),
                                    failed.values().iterator().next());
            workers.finish(taskId, "DONE", null, gaps);
            models.recalibrate(task.deviceId());
            events.publishEvent(new MeasuredTableCompleted(task.deviceId(), task.networkId(), taskId));
            status = "DONE";
        } else if (report.finished()) {
            workers.requeue(taskId); // the worker is done but items are missing: another lease takes them
            status = "QUEUED";
        }
        return new ReportAck(accepted, duplicates, remaining, status);
    }

    @Transactional
    public String reportValidation(AuthenticatedWorker worker, long taskId, ValidationReport report) {
        WorkerRepository.TaskRow task = ownTask(worker, taskId);
        if (task.status().equals("DONE")
                && report.leaseToken() != null
                && report.leaseToken().equals(task.leaseToken())) {
            return "DONE"; // a retried report: already stored
        }
        lockedLease(worker, taskId, report.leaseToken(), TaskLease.VALIDATE);
        if (!(report.totalSeconds() > 0) || Double.isInfinite(report.totalSeconds())) {
            throw new InvalidRequestException("totalSeconds", "A measured latency must be a positive finite number.");
        }
        if (report.outputError() != null
                && (!(report.outputError() >= 0) || report.outputError().isInfinite())) {
            throw new InvalidRequestException("outputError", "An output error must be a finite number >= 0.");
        }
        workers.finish(taskId, "DONE", json.writeValueAsString(report), null);
        return "DONE";
    }

    private WorkerRepository.TaskRow ownTask(AuthenticatedWorker worker, long taskId) {
        WorkerRepository.TaskRow task =
                workers.lockTask(taskId).orElseThrow(() -> new NotFoundException("Task", taskId));
        if (task.deviceId() != worker.deviceId()) {
            throw new NotFoundException("Task", taskId); // another device's task is invisible to this worker
        }
        return task;
    }

    private WorkerRepository.TaskRow lockedLease(AuthenticatedWorker worker, long taskId, String token, String kind) {
        WorkerRepository.TaskRow task = ownTask(worker, taskId);
        if (!task.kind().equals(kind)) {
            throw new InvalidRequestException(
                    "taskId", "Task %d is a %s task, not %s.".formatted(taskId, task.kind(), kind));
        }
        if (!task.status().equals("LEASED") || token == null || !token.equals(task.leaseToken())) {
            throw new ConflictException(
                    "leaseToken",
                    "The lease on task %d is no longer yours (it expired or was taken over); lease again."
                            .formatted(taskId));
        }
        return task;
    }
}
