package dev.mpq.service.search;

import dev.mpq.costs.DeviceModel;
import dev.mpq.service.api.InvalidRequestException;
import dev.mpq.service.api.NotFoundException;
import dev.mpq.service.api.Validation;
import dev.mpq.service.device.DeviceModels;
import dev.mpq.service.device.DeviceRepository;
import dev.mpq.service.device.LayerCost;
import dev.mpq.service.device.StoredDevice;
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
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Submits searches (validated up front, queued as jobs) and assembles their problems. */
@Service
public class SearchService {

    static final String JOB_KIND = "search";

    private final NetworkRepository networks;
    private final ProfileRepository profiles;
    private final DeviceRepository devices;
    private final JobRepository jobs;
    private final SearchRepository searches;
    private final DeviceModels models;
    private final JsonMapper json;
    private final Solver solver = new Solver();

    SearchService(
            NetworkRepository networks,
            ProfileRepository profiles,
            DeviceRepository devices,
            JobRepository jobs,
            SearchRepository searches,
            DeviceModels models,
            JsonMapper json) {
        this.models = models;
        this.json = json;
        this.networks = networks;
        this.profiles = profiles;
        this.devices = devices;
        this.jobs = jobs;
        this.searches = searches;
    }

    /** The inputs of a search, loaded and assembled. */
    record Assembled(SearchProblem problem, String engine, SolveOptions options, SearchCosts costs, String digest) {}

    /** Why a search runs. */
    public enum Reason {
        USER("user"),
        DEVICE_REGISTERED("device-registered"),
        MEASURED_TABLE_COMPLETED("measured-table-completed"),
        INPUTS_CHANGED("inputs-changed");

        private final String id;

        Reason(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** Validates the request completely, then queues it; returns the search id. Nothing is stored on error. */
    @Transactional
    public long submit(SearchRequest request) {
        return submit(request, Reason.USER, null);
    }

    /** Queues a search for a reason (a standing search's re-run names its standing search). */
    @Transactional
    public long submit(SearchRequest request, Reason reason, Long standingSearchId) {
        Assembled assembled = assemble(request);
        long job = jobs.enqueue(JOB_KIND);
        return searches.insert(
                job,
                request,
                assembled.engine(),
                request.seedOrDefault(),
                reason.id(),
                standingSearchId,
                assembled.digest());
    }

    /**
     * A fingerprint of everything a search's answer depends on: the request, the profile, and the
     * device's costs (its cost table for the network, or its model: catalogue entry, overrides,
     * calibration and measured table, which change {@code modelUpdatedAt}).
     */
    public String inputsDigest(SearchRequest request) {
        StoredDevice device = devices.find(request.deviceId()).orElseThrow();
        String costs = devices.costTableUpdatedAt(request.deviceId(), request.networkId())
                .map(at -> "table@" + at)
                .orElse("model:" + device.catalogue() + ":" + json.writeValueAsString(device.overrides()) + "@"
                        + device.modelUpdatedAt());
        String text = json.writeValueAsString(request) + "|" + costs;
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads and checks everything a search needs; not transactional, so a refusal leaves callers' transactions intact. */
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
        if (request.batch() != null && (request.batch() < 1 || request.batch() > 65_536)) {
            throw new InvalidRequestException("batch", "Batch %d: use 1..65536.".formatted(request.batch()));
        }
        SearchCosts costs = costs(request, network, profile);
        SearchProblem problem = SearchProblemAssembler.assemble(
                "search of " + network.spec().name(), network.spec(), profile.penalties(), costs.costs(), request);
        SolveOptions options = options(request);
        String engine = request.engine() == null || request.engine().isBlank() ? null : request.engine();
        if (engine != null) {
            SearchEngine chosen = solver.byName(engine);
            String reason = chosen.unsupportedReason(problem);
            if (reason != null) {
                throw new InvalidProblemException("engine", reason);
            }
        }
        return new Assembled(problem, engine, options, costs, inputsDigest(request));
    }

    private SearchCosts costs(SearchRequest request, StoredNetwork network, StoredProfile profile) {
        Optional<List<Map<String, LayerCost>>> table = devices.costTable(request.deviceId(), network.id());
        if (table.isPresent()) {
            return SearchCosts.fromUserTable(table.get());
        }
        Optional<DeviceModel> model = models.model(request.deviceId());
        if (model.isEmpty()) {
            throw new InvalidRequestException(
                    "deviceId",
                    "Device %d has neither a cost table for network %d nor a cost model; PUT a table to /api/devices/%d/cost-tables/%d or register the device from a catalogue entry."
                            .formatted(request.deviceId(), network.id(), request.deviceId(), network.id()));
        }
        try {
            return SearchCosts.fromModel(network.spec(), model.get(), profile.penalties(), request.batchOrDefault());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("deviceId", e.getMessage());
        }
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
            long id, long networkId, long profileId, Long deviceId, int batch, String status, String resultJson) {}

    public SearchOutcome outcome(long id) {
        SearchRepository.StoredSearch s = find(id);
        return new SearchOutcome(
                s.id(),
                s.networkId(),
                s.profileId(),
                s.deviceId(),
                s.request().batchOrDefault(),
                s.status(),
                s.resultJson());
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
