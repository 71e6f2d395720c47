package dev.mpq.service.network;

import dev.mpq.core.NetworkSpec;
import dev.mpq.service.api.ConflictException;
import dev.mpq.service.api.NotFoundException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Networks: create, list, get. */
@RestController
@RequestMapping("/api/networks")
class NetworkController {

    private final NetworkRepository networks;
    private final NetworkModelRepository models;

    NetworkController(NetworkRepository networks, NetworkModelRepository models) {
        this.networks = networks;
        this.models = models;
    }

    /** A network as the API shows it. */
    record NetworkView(
            long id,
            String name,
            Instant createdAt,
            List<LayerView> layers,
            List<List<String>> ties,
            NetworkModelRepository.ModelInfo weights) {
        static NetworkView of(StoredNetwork stored, NetworkModelRepository models) {
            NetworkSpec spec = stored.spec();
            return new NetworkView(
                    stored.id(),
                    spec.name(),
                    stored.createdAt(),
                    spec.layers().stream()
                            .map(l -> new LayerView(
                                    l.name(), l.kind().id(), l.shape(), l.parameters(), l.macs(), l.tieGroup()))
                            .toList(),
                    spec.ties(),
                    models.info(stored.id()).orElse(null));
        }
    }

    record LayerView(String name, String kind, List<Long> shape, long parameters, long macs, String tieGroup) {}

    @PostMapping
    @Transactional
    ResponseEntity<NetworkView> create(@RequestBody NetworkRequest request) {
        NetworkSpec spec = request.toSpec();
        if (networks.nameTaken(spec.name())) {
            throw new ConflictException(
                    "name", "A network named '%s' exists already; choose another name.".formatted(spec.name()));
        }
        long id;
        try {
            id = networks.insert(spec);
        } catch (DuplicateKeyException e) {
            throw new ConflictException(
                    "name", "A network named '%s' exists already; choose another name.".formatted(spec.name()));
        }
        StoredNetwork stored = networks.find(id).orElseThrow();
        return ResponseEntity.created(URI.create("/api/networks/" + id)).body(NetworkView.of(stored, models));
    }

    @GetMapping
    List<NetworkRepository.Summary> list() {
        return networks.list();
    }

    @GetMapping("/{id}")
    NetworkView get(@PathVariable long id) {
        return NetworkView.of(networks.find(id).orElseThrow(() -> new NotFoundException("Network", id)), models);
    }
}
