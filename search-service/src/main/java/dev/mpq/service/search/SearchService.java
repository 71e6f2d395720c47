package dev.mpq.service.search;

import dev.mpq.service.api.InvalidRequestException;
import dev.mpq.service.api.NotFoundException;
import dev.mpq.service.api.Validation;
import dev.mpq.service.device.DeviceRepository;
import dev.mpq.service.device.LayerCost;
import dev.mpq.service.job.JobRepository;
import dev.mpq.service.network.NetworkRepository;
import dev.mpq.service.network.StoredNetwork;
import dev.mpq.service.profile.ProfileRepository;
import dev.mpq.service.profile.StoredProfile;
import dev.mpq.solver.InvalidProblemException;
import dev.mpq.solver.SearchEngine;
import dev.mpq.solver.SearchProblem;
import dev.mpq.solver.SolveOptions;
import dev.mpq.solver.Solver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Submits searches (validated up front, queued as jobs) and assembles their problems. */
@Service
public class SearchService {

    static final String JOB_KIND = "search";

    private final NetworkRepository networks;
    private final ProfileRepository profiles;
    private final DeviceRepository devices;
    private final JobRepository jobs;
    private final SearchRepository searches;
    private final Solver solver = new Solver();

    SearchService(
            NetworkRepository networks,
            ProfileRepository profiles,
            DeviceRepository devices,
            JobRepository jobs,
            SearchRepository searches) {
        this.networks = networks;
        this.profiles = profiles;
        this.devices = devices;
        this.jobs = jobs;
        this.searches = searches;
    }

    /** The inputs of a search, loaded and assembled. */
    record Assembled(SearchProblem problem, String engine, SolveOptions options) {}

    /** Validates the request completely, then queues it; returns the search id. Nothing is stored on error. */
    @Transactional
    public long submit(SearchRequest request) {
        Assembled assembled = assemble(request);
        long job = jobs.enqueue(JOB_KIND);
        return searches.insert(job, request, assembled.engine(), request.seedOrDefault());
    }

    Assembled assemble(SearchRequest request) {
        Validation errors = new Validation();
        if (request.networkId() == null) {
            errors.reject("networkId", "Name the network to search (its id).");
        }
        if (request.profileId() == null) {
            errors.reject("profileId", "Name the sensitivity profile that gives the penalties (its id).");
        }
        if (request.deviceId() == null) {
            errors.reject("deviceId", "Name the device whose cost table gives latency, bytes and BOPs (its id).");
        }
        errors.throwIfInvalid();
        StoredNetwork network = networks.find(request.networkId())
                .orElseThrow(() -> new InvalidRequestException(
                        "networkId", "Network %d does not exist.".formatted(request.networkId())));
        StoredProfile profile = profiles.find(request.profileId())
                .orElseThrow(() -> new InvalidRequestException(
                        "profileId", "Profile %d does not exist.".formatted(request.profileId())));
        if (profile.networkId() != network.id()) {
            throw new InvalidRequestException(
                    "profileId",
                    "Profile %d belongs to network %d, not to network %d."
                            .formatted(profile.id(), profile.networkId(), network.id()));
        }
        devices.find(request.deviceId())
                .orElseThrow(() -> new InvalidRequestException(
                        "deviceId", "Device %d does not exist.".formatted(request.deviceId())));
        List<Map<String, LayerCost>> costs = devices.costTable(request.deviceId(), network.id())
                .orElseThrow(() -> new InvalidRequestException(
                        "deviceId",
                        "Device %d has no cost table for network %d; PUT one to /api/devices/%d/cost-tables/%d."
                                .formatted(request.deviceId(), network.id(), request.deviceId(), network.id())));
        SearchProblem problem = SearchProblemAssembler.assemble(
                "search of " + network.spec().name(), network.spec(), profile.penalties(), costs, request);
        SolveOptions options = options(request);
        String engine = request.engine() == null || request.engine().isBlank() ? null : request.engine();
        if (engine != null) {
            SearchEngine chosen = solver.byName(engine);
            String reason = chosen.unsupportedReason(problem);
            if (reason != null) {
                throw new InvalidProblemException("engine", reason);
            }
        }
        return new Assembled(problem, engine, options);
    }

    private static SolveOptions options(SearchRequest request) {
        double seconds = request.timeLimitSeconds() == null ? 60 : request.timeLimitSeconds();
        if (!(seconds > 0) || seconds > 86_400) {
            throw new InvalidRequestException(
                    "timeLimitSeconds", "Time limit %s s: give a number of seconds in (0, 86400].".formatted(seconds));
        }
        int threads = request.threads() == null ? Runtime.getRuntime().availableProcessors() : request.threads();
        if (threads < 1) {
            throw new InvalidRequestException("threads", "threads is %d; use at least 1.".formatted(threads));
        }
        return new SolveOptions(request.seedOrDefault(), Duration.ofMillis((long) (seconds * 1000)), threads);
    }

    /** What other features may know of a search: its inputs and, when done, its result. */
    public record SearchOutcome(
            long id, long networkId, long profileId, Long deviceId, String status, String resultJson) {}

    public SearchOutcome outcome(long id) {
        SearchRepository.StoredSearch s = find(id);
        return new SearchOutcome(s.id(), s.networkId(), s.profileId(), s.deviceId(), s.status(), s.resultJson());
    }

    SearchRepository.StoredSearch find(long id) {
        return searches.find(id).orElseThrow(() -> new NotFoundException("Search", id));
    }

    List<SearchRepository.StoredSearch> list(Long networkId) {
        return searches.list(networkId);
    }

    Solver solver() {
        return solver;
    }
}
