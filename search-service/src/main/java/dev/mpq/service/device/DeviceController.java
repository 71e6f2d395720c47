package dev.mpq.service.device;

import dev.mpq.service.api.ConflictException;
import dev.mpq.service.api.NotFoundException;
import dev.mpq.service.network.NetworkRepository;
import dev.mpq.service.network.StoredNetwork;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Devices and their per-network cost tables. */
@RestController
@RequestMapping("/api/devices")
class DeviceController {

    private final DeviceRepository devices;
    private final NetworkRepository networks;

    DeviceController(DeviceRepository devices, NetworkRepository networks) {
        this.devices = devices;
        this.networks = networks;
    }

    record DeviceView(
            long id,
            String name,
            String kind,
            Map<String, Object> spec,
            Instant createdAt,
            List<Long> costTableNetworks) {}

    record CostTableView(long deviceId, long networkId, List<LayerCostsView> layers) {}

    record LayerCostsView(String name, Map<String, LayerCost> costs) {}

    @PostMapping
    @Transactional
    ResponseEntity<DeviceView> create(@RequestBody DeviceRequest request) {
        request.validate();
        if (devices.nameTaken(request.name())) {
            throw new ConflictException(
                    "name", "A device named '%s' exists already; choose another name.".formatted(request.name()));
        }
        long id = devices.insert(request);
        return ResponseEntity.created(URI.create("/api/devices/" + id)).body(get(id));
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
        return new DeviceView(
                device.id(),
                device.name(),
                device.kind(),
                device.spec(),
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
