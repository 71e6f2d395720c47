package dev.mpq.service.worker;

import dev.mpq.core.worker.MeasurementReport;
import dev.mpq.core.worker.TaskLease;
import dev.mpq.core.worker.ValidationReport;
import dev.mpq.core.worker.WorkerHello;
import dev.mpq.service.api.ConflictException;
import dev.mpq.service.network.NetworkModelRepository;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** The endpoints a worker calls, with its bearer token (devices/PROTOCOL.md). */
@RestController
@RequestMapping("/api/worker")
class WorkerProtocolController {

    private final WorkerService service;
    private final NetworkModelRepository models;

    WorkerProtocolController(WorkerService service, NetworkModelRepository models) {
        this.service = service;
        this.models = models;
    }

    record LeaseRenewal(String leaseToken) {}

    @PostMapping("/hello")
    Map<String, Object> hello(AuthenticatedWorker worker, @RequestBody WorkerHello hello) {
        service.hello(worker, hello);
        return Map.of("workerId", worker.workerId(), "deviceId", worker.deviceId(), "name", worker.name());
    }

    /** 200 with a task, or 204 when the device has nothing to do. */
    @PostMapping("/lease")
    ResponseEntity<TaskLease> lease(AuthenticatedWorker worker) {
        return service.lease(worker)
                .map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @PostMapping("/tasks/{taskId}/heartbeat")
    Map<String, Object> heartbeat(
            AuthenticatedWorker worker, @PathVariable long taskId, @RequestBody LeaseRenewal renewal) {
        if (!service.heartbeat(worker, taskId, renewal.leaseToken())) {
            throw new ConflictException(
                    "leaseToken", "The lease on task %d is no longer yours; stop and lease again.".formatted(taskId));
        }
        return Map.of("leaseSeconds", service.lease().toSeconds());
    }

    @PostMapping("/tasks/{taskId}/measurements")
    WorkerService.ReportAck measurements(
            AuthenticatedWorker worker, @PathVariable long taskId, @RequestBody MeasurementReport report) {
        return service.reportMeasurements(worker, taskId, report);
    }

    /** The ONNX weights of a network the worker's device has tasks for. */
    @GetMapping("/networks/{networkId}/model")
    ResponseEntity<StreamingResponseBody> model(AuthenticatedWorker worker, @PathVariable long networkId) {
        service.requireTaskOnNetwork(worker, networkId);
        return models.download(networkId);
    }

    @PostMapping("/tasks/{taskId}/validation")
    Map<String, Object> validation(
            AuthenticatedWorker worker, @PathVariable long taskId, @RequestBody ValidationReport report) {
        return Map.of("status", service.reportValidation(worker, taskId, report));
    }
}
