package dev.mpq.service.search;

import dev.mpq.service.api.ConflictException;
import dev.mpq.service.api.InvalidRequestException;
import dev.mpq.service.api.NotFoundException;
import dev.mpq.service.api.Validation;
import dev.mpq.service.device.DeviceRepository;
import dev.mpq.service.network.NetworkRepository;
import dev.mpq.service.profile.ProfileRepository;
import dev.mpq.service.profile.StoredProfile;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Standing searches of a network: saved requests re-run for every device (see {@link ReSearch}). */
@RestController
class StandingSearchController {

    private final StandingSearchRepository standing;
    private final NetworkRepository networks;
    private final ProfileRepository profiles;
    private final DeviceRepository devices;
    private final ReSearch reSearch;

    StandingSearchController(
            StandingSearchRepository standing,
            NetworkRepository networks,
            ProfileRepository profiles,
            DeviceRepository devices,
            ReSearch reSearch) {
        this.standing = standing;
        this.networks = networks;
        this.profiles = profiles;
        this.devices = devices;
        this.reSearch = reSearch;
    }

    /**
     * A standing search: a name, the profile giving the penalties, and the search request without
     * network, profile or device ({@code minimize, budgets, relativeBudgets, front, frontPoints,
     * engine, seed, timeLimitSeconds, threads, batch}).
     */
    record StandingSearchRequest(String name, Long profileId, SearchRequest search) {}

    @PostMapping("/api/networks/{networkId}/standing-searches")
    @Transactional
    ResponseEntity<StandingSearchRepository.StandingSearch> create(
            @PathVariable long networkId, @RequestBody StandingSearchRequest request) {
        if (!networks.exists(networkId)) {
            throw new NotFoundException("Network", networkId);
        }
        Validation errors = new Validation();
        if (request.name() == null || request.name().isBlank()) {
            errors.reject("name", "A standing search needs a name, e.g. 'latency front at batch 1'.");
        }
        if (request.profileId() == null) {
            errors.reject("profileId", "Name the profile that gives the penalties.");
        }
        SearchRequest search = request.search();
        if (search == null) {
            errors.reject("search", "Give the search: {minimize, budgets, front, ...} without a device.");
        } else if (search.networkId() != null || search.profileId() != null || search.deviceId() != null) {
            errors.reject(
                    "search",
                    "A standing search names no network, profile or device in its search; they come from the path, profileId and each device.");
        } else {
            checkMetrics(errors, search);
        }
        errors.throwIfInvalid();
        StoredProfile profile = profiles.find(request.profileId())
                .filter(p -> p.networkId() == networkId)
                .orElseThrow(() -> new InvalidRequestException(
                        "profileId", "Network %d has no profile %d.".formatted(networkId, request.profileId())));
        if (standing.nameTaken(networkId, request.name())) {
            throw new ConflictException(
                    "name", "Network %d has a standing search named '%s'.".formatted(networkId, request.name()));
        }
        long id = standing.insert(networkId, profile.id(), request.name(), search);
        StandingSearchRepository.StandingSearch created = standing.forNetwork(networkId).stream()
                .filter(s -> s.id() == id)
                .findFirst()
                .orElseThrow();
        for (long deviceId : devices.all()) {
            reSearch.queueIfApplicable(created, deviceId, SearchService.Reason.INPUTS_CHANGED);
        }
        return ResponseEntity.created(URI.create("/api/networks/%d/standing-searches".formatted(networkId)))
                .body(created);
    }

    @GetMapping("/api/networks/{networkId}/standing-searches")
    List<StandingSearchRepository.StandingSearch> list(@PathVariable long networkId) {
        if (!networks.exists(networkId)) {
            throw new NotFoundException("Network", networkId);
        }
        return standing.forNetwork(networkId);
    }

    private static void checkMetrics(Validation errors, SearchRequest search) {
        List<String> metrics = SearchProblemAssembler.METRICS;
        if (search.minimize() != null && !metrics.contains(search.minimize())) {
            errors.reject(
                    "search.minimize", "Unknown metric '%s'; searches know %s.".formatted(search.minimize(), metrics));
        }
        if (search.front() != null) {
            search.front().stream()
                    .filter(m -> !metrics.contains(m))
                    .forEach(m -> errors.reject(
                            "search.front", "Unknown metric '%s'; searches know %s.".formatted(m, metrics)));
        }
        if (search.budgets() != null) {
            search.budgets().keySet().stream()
                    .filter(m -> !metrics.contains(m))
                    .forEach(m -> errors.reject("search.budgets." + m, "Unknown metric '%s'.".formatted(m)));
        }
        if (search.relativeBudgets() != null) {
            search.relativeBudgets().keySet().stream()
                    .filter(m -> !metrics.contains(m))
                    .forEach(m -> errors.reject("search.relativeBudgets." + m, "Unknown metric '%s'.".formatted(m)));
        }
    }
}
