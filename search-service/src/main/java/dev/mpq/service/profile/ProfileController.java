package dev.mpq.service.profile;

import dev.mpq.core.NetworkSpec;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Sensitivity profiles of a network: import, list, get. */
@RestController
class ProfileController {

    private final NetworkRepository networks;
    private final ProfileRepository profiles;

    ProfileController(NetworkRepository networks, ProfileRepository profiles) {
        this.networks = networks;
        this.profiles = profiles;
    }

    /** A profile as the API shows it (the shape of CONTRACTS.md section 5, plus ids). */
    record ProfileView(
            long id,
            long networkId,
            String name,
            String model,
            String method,
            Map<String, Object> inputs,
            Instant createdAt,
            List<LayerView> layers) {}

    record LayerView(String name, String kind, List<Long> shape, long parameters, Map<String, Double> penalties) {}

    @PostMapping("/api/networks/{networkId}/profiles")
    @Transactional
    ResponseEntity<ProfileView> create(@PathVariable long networkId, @RequestBody ProfileRequest request) {
        StoredNetwork network = networks.find(networkId).orElseThrow(() -> new NotFoundException("Network", networkId));
        List<Map<String, Double>> penalties = request.penaltiesFor(network.spec());
        String name = request.name() == null || request.name().isBlank() ? request.method() : request.name();
        if (profiles.nameTaken(networkId, name)) {
            throw new ConflictException(
                    "name",
                    "Network %d has a profile named '%s' already; choose another name.".formatted(networkId, name));
        }
        long id = profiles.insert(networkId, name, request.method(), request.inputs(), penalties);
        return ResponseEntity.created(URI.create("/api/profiles/" + id))
                .body(view(profiles.find(id).orElseThrow(), network));
    }

    @GetMapping("/api/networks/{networkId}/profiles")
    List<ProfileRepository.Summary> list(@PathVariable long networkId) {
        if (!networks.exists(networkId)) {
            throw new NotFoundException("Network", networkId);
        }
        return profiles.listForNetwork(networkId);
    }

    @GetMapping("/api/profiles/{id}")
    ProfileView get(@PathVariable long id) {
        StoredProfile profile = profiles.find(id).orElseThrow(() -> new NotFoundException("Profile", id));
        return view(profile, networks.find(profile.networkId()).orElseThrow());
    }

    private static ProfileView view(StoredProfile profile, StoredNetwork network) {
        NetworkSpec spec = network.spec();
        List<LayerView> layers = new ArrayList<>();
        for (int i = 0; i < spec.layers().size(); i++) {
            var layer = spec.layers().get(i);
            layers.add(new LayerView(
                    layer.name(),
                    layer.kind().id(),
                    layer.shape(),
                    layer.parameters(),
                    profile.penalties().get(i)));
        }
        return new ProfileView(
                profile.id(),
                profile.networkId(),
                profile.name(),
                spec.name(),
                profile.method(),
                profile.inputs(),
                profile.createdAt(),
                layers);
    }
}
