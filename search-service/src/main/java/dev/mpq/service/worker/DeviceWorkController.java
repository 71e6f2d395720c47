package dev.mpq.service.worker;

import dev.mpq.service.api.NotFoundException;
import dev.mpq.service.device.DeviceRepository;
import dev.mpq.service.search.SearchService;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What users do with workers: add them to a device, ask for profiles and validations, read results. */
@RestController
class DeviceWorkController {

    private final WorkerService service;
    private final WorkerRepository workers;
    private final DeviceRepository devices;
    private final SearchService searches;
    private final JsonMapper json;

    DeviceWorkController(
            WorkerService service,
            WorkerRepository workers,
            DeviceRepository devices,
            SearchService searches,
            JsonMapper json) {
        this.service = service;
        this.workers = workers;
        this.devices = devices;
        this.searches = searches;
        this.json = json;
    }

    record NewWorker(String name) {}

    record ProfileTaskRequest(Long networkId, List<String> precisions, List<Integer> batches) {}

    record ValidationRequest(List<Integer> points, Integer batch) {}

    record TaskView(
            long id,
            String kind,
            String status,
            long networkId,
            Long searchId,
            Integer pointIndex,
            int items,
            int attempts,
            String error,
            Instant createdAt,
            Instant finishedAt) {}

    record ValidationView(
            long taskId,
            int pointIndex,
            String status,
            Map<String, Double> predicted,
            JsonNode measured,
            Double latencyError) {}

    @PostMapping("/api/devices/{deviceId}/workers")
    ResponseEntity<WorkerService.IssuedWorker> addWorker(
            @PathVariable long deviceId, @RequestBody(required = false) NewWorker request) {
        WorkerService.IssuedWorker issued = service.addWorker(deviceId, request == null ? null : request.name());
        return ResponseEntity.created(URI.create("/api/devices/%d/workers".formatted(deviceId)))
                .body(issued);
    }

    @GetMapping("/api/devices/{deviceId}/workers")
    List<WorkerRepository.WorkerView> workers(@PathVariable long deviceId) {
        requireDevice(deviceId);
        return workers.workers(deviceId);
    }

    @PostMapping("/api/devices/{deviceId}/profile-tasks")
    ResponseEntity<TaskView> profile(@PathVariable long deviceId, @RequestBody ProfileTaskRequest request) {
        if (request.networkId() == null) {
            throw new dev.mpq.service.api.InvalidRequestException(
                    "networkId", "Name the network whose layer shapes to measure.");
        }
        long id = service.planProfile(deviceId, request.networkId(), request.precisions(), request.batches());
        return ResponseEntity.created(URI.create("/api/devices/%d/tasks".formatted(deviceId)))
                .body(view(workers.task(id).orElseThrow()));
    }

    @GetMapping("/api/devices/{deviceId}/tasks")
    List<TaskView> tasks(@PathVariable long deviceId) {
        requireDevice(deviceId);
        return workers.tasks(deviceId).stream().map(this::view).toList();
    }

    @GetMapping("/api/devices/{deviceId}/measurements")
    List<WorkerRepository.MeasurementRow> measurements(@PathVariable long deviceId) {
        requireDevice(deviceId);
        return workers.measurements(deviceId);
    }

    @PostMapping("/api/searches/{searchId}/validations")
    ResponseEntity<List<ValidationView>> validate(@PathVariable long searchId, @RequestBody ValidationRequest request) {
        SearchService.SearchOutcome search = searches.outcome(searchId);
        if (search.deviceId() == null) {
            throw new dev.mpq.service.api.InvalidRequestException(
                    "searchId", "Search %d names no device to validate on.".formatted(searchId));
        }
        service.planValidations(
                searchId,
                search.networkId(),
                search.deviceId(),
                search.resultJson() == null ? null : json.readTree(search.resultJson()),
                request.points(),
                request.batch() == null ? search.batch() : request.batch());
        return ResponseEntity.created(URI.create("/api/searches/%d/validations".formatted(searchId)))
                .body(validations(searchId));
    }

    @GetMapping("/api/searches/{searchId}/validations")
    List<ValidationView> validations(@PathVariable long searchId) {
        searches.outcome(searchId);
        List<ValidationView> views = new ArrayList<>();
        for (WorkerRepository.TaskRow task : workers.validations(searchId)) {
            WorkerService.ValidateSpec spec = json.readValue(task.specJson(), WorkerService.ValidateSpec.class);
            JsonNode measured = task.resultJson() == null ? null : json.readTree(task.resultJson());
            Double error = null;
            Double predicted = spec.predicted().get("latency");
            if (measured != null && predicted != null && predicted > 0) {
                error = (measured.get("totalSeconds").asDouble() - predicted) / predicted;
            }
            if (measured instanceof tools.jackson.databind.node.ObjectNode object) {
                object.remove("leaseToken");
            }
            views.add(
                    new ValidationView(task.id(), task.pointIndex(), task.status(), spec.predicted(), measured, error));
        }
        return views;
    }

    private void requireDevice(long deviceId) {
        devices.find(deviceId).orElseThrow(() -> new NotFoundException("Device", deviceId));
    }

    private TaskView view(WorkerRepository.TaskRow task) {
        int items = task.kind().equals("profile")
                ? json.readValue(task.specJson(), WorkerService.ProfileSpec.class)
                        .items()
                        .size()
                : 1;
        return new TaskView(
                task.id(),
                task.kind(),
                task.status(),
                task.networkId(),
                task.searchId(),
                task.pointIndex(),
                items,
                task.attempts(),
                task.error(),
                task.createdAt(),
                task.finishedAt());
    }
}
