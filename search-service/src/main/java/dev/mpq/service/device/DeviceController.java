package dev.mpq.service.device;

import dev.mpq.costs.AccuracyReport;
import dev.mpq.costs.Calibration;
import dev.mpq.costs.CsvFormatException;
import dev.mpq.costs.DeviceCatalog;
import dev.mpq.costs.DeviceModel;
import dev.mpq.costs.DeviceSpec;
import dev.mpq.costs.FormatSupport;
import dev.mpq.costs.MeasuredPoint;
import dev.mpq.costs.MeasuredTable;
import dev.mpq.costs.MeasuredTableCsv;
import dev.mpq.costs.Measurement;
import dev.mpq.costs.TvmLogImport;
import dev.mpq.service.api.ConflictException;
import dev.mpq.service.api.InvalidRequestException;
import dev.mpq.service.api.NotFoundException;
import dev.mpq.service.api.Validation;
import dev.mpq.service.events.DeviceRegistered;
import dev.mpq.service.network.NetworkRepository;
import dev.mpq.service.network.StoredNetwork;
import java.io.StringReader;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Devices and their per-network cost tables. */
@RestController
@RequestMapping("/api/devices")
class DeviceController {

    private final DeviceRepository devices;
    private final NetworkRepository networks;
    private final DeviceModels models;
    private final ApplicationEventPublisher events;

    DeviceController(
            DeviceRepository devices,
            NetworkRepository networks,
            DeviceModels models,
            ApplicationEventPublisher events) {
        this.devices = devices;
        this.networks = networks;
        this.models = models;
        this.events = events;
    }

    /**
     * A device as the API shows it; {@code model} is null for a device without a catalogue entry
     * (costed by user cost tables only).
     */
    record DeviceView(
            long id,
            String name,
            String kind,
            Map<String, Object> spec,
            String catalogue,
            DeviceSpec.Overrides overrides,
            ModelView model,
            Instant createdAt,
            List<Long> costTableNetworks) {}

    /** The cost model: how it costs layers, the calibration and its held-out accuracy. */
    record ModelView(
            DeviceSpec spec,
            String basis,
            int measuredPoints,
            Calibration calibration,
            AccuracyReport accuracy,
            Instant updatedAt) {}

    /** A measured table upload as JSON. */
    record MeasuredTableUpload(String name, List<MeasuredPoint> points) {}

    record CostTableView(long deviceId, long networkId, List<LayerCostsView> layers) {}

    record LayerCostsView(String name, Map<String, LayerCost> costs) {}

    @PostMapping
    @Transactional
    ResponseEntity<DeviceView> create(@RequestBody DeviceRequest request) {
        DeviceSpec resolved = request.validate();
        if (devices.nameTaken(request.name())) {
            throw new ConflictException(
                    "name", "A device named '%s' exists already; choose another name.".formatted(request.name()));
        }
        long id = devices.insert(request, resolved == null ? request.kind() : request.effectiveKind(resolved));
        events.publishEvent(new DeviceRegistered(id));
        return ResponseEntity.created(URI.create("/api/devices/" + id)).body(get(id));
    }

    /** The built-in device specs that registrations start from. */
    @GetMapping("/catalogue")
    List<DeviceSpec> catalogue() {
        return DeviceCatalog.all();
    }

    /** How the device runs each catalogue precision: native, dequantize-then-compute, or excluded and why. */
    @GetMapping("/{id}/formats")
    List<FormatSupport.FormatRow> formats(@PathVariable long id) {
        StoredDevice device = devices.find(id).orElseThrow(() -> new NotFoundException("Device", id));
        DeviceSpec spec = models.spec(device)
                .orElseThrow(() -> new InvalidRequestException(
                        "catalogue", "Device %d has no catalogue entry, so no format model.".formatted(id)));
        return FormatSupport.table(spec);
    }

    /**
     * Imports a measured latency table: JSON {@code {name, points: [...]}}, or CSV ({@code
     * text/csv}; {@code ?format=tvm} for an AutoTVM log such as data/hawq's), then recalibrates.
     */
    @PostMapping(path = "/{id}/measured-table", consumes = "application/json")
    @Transactional
    DeviceModels.CalibrationOutcome importJson(@PathVariable long id, @RequestBody MeasuredTableUpload upload) {
        devices.find(id).orElseThrow(() -> new NotFoundException("Device", id));
        if (upload.points() == null || upload.points().isEmpty()) {
            throw new InvalidRequestException("points", "A measured table needs at least one point.");
        }
        Validation errors = new Validation();
        List<Measurement> measurements = new ArrayList<>();
        for (int i = 0; i < upload.points().size(); i++) {
            try {
                measurements.add(upload.points().get(i).toMeasurement());
            } catch (MeasuredPoint.InvalidPoint e) {
                errors.reject("points[%d].%s".formatted(i, e.field()), e.getMessage());
            }
        }
        errors.throwIfInvalid();
        return store(id, upload.name() == null ? "upload" : upload.name(), MeasuredTable.of(measurements));
    }

    @PostMapping(
            path = "/{id}/measured-table",
            consumes = {"text/csv", "text/plain"})
    @Transactional
    DeviceModels.CalibrationOutcome importCsv(
            @PathVariable long id,
            @RequestParam(defaultValue = "mpq") String format,
            @RequestParam(defaultValue = "upload.csv") String name,
            @RequestBody String csv) {
        devices.find(id).orElseThrow(() -> new NotFoundException("Device", id));
        MeasuredTable table;
        try {
            table = switch (format) {
                case "mpq" -> MeasuredTableCsv.read(new StringReader(csv), name);
                case "tvm" -> TvmLogImport.read(new StringReader(csv), name);
                default ->
                    throw new InvalidRequestException("format", "Format '%s': use mpq or tvm.".formatted(format));
            };
        } catch (CsvFormatException e) {
            throw new InvalidRequestException("body", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("body", "%s: %s".formatted(name, e.getMessage()));
        }
        return store(id, name, table);
    }

    private DeviceModels.CalibrationOutcome store(long id, String name, MeasuredTable table) {
        if (table.isEmpty()) {
            throw new InvalidRequestException("points", "The table has no measured points.");
        }
        devices.insertImport(id, name, table.size(), MeasuredTableCsv.write(table));
        return models.recalibrate(id);
    }

    /** Fits the device's efficiency and overhead terms again on its measured table. */
    @PostMapping("/{id}/calibration")
    @Transactional
    DeviceModels.CalibrationOutcome calibrate(@PathVariable long id) {
        return models.recalibrate(id);
    }

    @GetMapping
    List<DeviceView> list() {
        return devices.list().stream().map(d -> view(d)).toList();
    }

    @GetMapping("/{id}")
    DeviceView get(@PathVariable long id) {
        return view(devices.find(id).orElseThrow(() -> new NotFoundException("Device", id)));
    }

    @PutMapping("/{id}/cost-tables/{networkId}")
    @Transactional
    CostTableView putCostTable(
            @PathVariable long id, @PathVariable long networkId, @RequestBody CostTableRequest request) {
        devices.find(id).orElseThrow(() -> new NotFoundException("Device", id));
        StoredNetwork network = networks.find(networkId).orElseThrow(() -> new NotFoundException("Network", networkId));
        List<Map<String, LayerCost>> costs = request.costsFor(network.spec());
        devices.saveCostTable(id, networkId, costs);
        return costTableView(id, network, costs);
    }

    @GetMapping("/{id}/cost-tables/{networkId}")
    CostTableView getCostTable(@PathVariable long id, @PathVariable long networkId) {
        StoredNetwork network = networks.find(networkId).orElseThrow(() -> new NotFoundException("Network", networkId));
        List<Map<String, LayerCost>> costs = devices.costTable(id, networkId)
                .orElseThrow(
                        () -> new NotFoundException("Cost table of device %d for network".formatted(id), networkId));
        return costTableView(id, network, costs);
    }

    private DeviceView view(StoredDevice device) {
        ModelView model = models.spec(device)
                .map(spec -> {
                    DeviceModel full = models.model(device.id()).orElseThrow();
                    return new ModelView(
                            full.effectiveSpec(),
                            full.basis(),
                            full.table().size(),
                            device.calibration(),
                            device.accuracy(),
                            device.modelUpdatedAt());
                })
                .orElse(null);
        return new DeviceView(
                device.id(),
                device.name(),
                device.kind(),
                device.spec(),
                device.catalogue(),
                device.overrides(),
                model,
                device.createdAt(),
                devices.networksWithCostTables(device.id()));
    }

    private static CostTableView costTableView(
            long deviceId, StoredNetwork network, List<Map<String, LayerCost>> costs) {
        List<LayerCostsView> layers = new ArrayList<>();
        for (int i = 0; i < costs.size(); i++) {
            layers.add(new LayerCostsView(network.spec().layers().get(i).name(), costs.get(i)));
        }
        return new CostTableView(deviceId, network.id(), layers);
    }
}
