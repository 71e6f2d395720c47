package dev.mpq.service.profile;

import dev.mpq.service.api.InvalidRequestException;
import dev.mpq.service.api.NotFoundException;
import dev.mpq.service.job.JobRepository;
import dev.mpq.service.network.NetworkModelRepository;
import dev.mpq.service.network.NetworkRepository;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Profiles computed by the service from a network's weights: submit (202), then follow the job. */
@RestController
class ProfileJobController {

    private final NetworkRepository networks;
    private final NetworkModelRepository weights;
    private final JobRepository jobs;
    private final ProfileJobRepository requests;

    ProfileJobController(
            NetworkRepository networks,
            NetworkModelRepository weights,
            JobRepository jobs,
            ProfileJobRepository requests) {
        this.networks = networks;
        this.weights = weights;
        this.jobs = jobs;
        this.requests = requests;
    }

    /** A profile computation as the API shows it; {@code profileId} once it is done. */
    record ProfileJobView(
            long id,
            long networkId,
            String status,
            Double progress,
            String error,
            ProfileJobRequest request,
            Long profileId,
            Instant createdAt,
            Instant finishedAt) {}

    @PostMapping("/api/networks/{networkId}/profile-jobs")
    @Transactional
    ResponseEntity<ProfileJobView> submit(@PathVariable long networkId, @RequestBody ProfileJobRequest request) {
        if (!networks.exists(networkId)) {
            throw new NotFoundException("Network", networkId);
        }
        request.validate();
        if (weights.info(networkId).isEmpty()) {
            throw new InvalidRequestException(
                    "networkId",
                    "Network %d has no weights file; create it from its ONNX file (POST /api/networks/onnx) to compute profiles."
                            .formatted(networkId));
        }
        long job = jobs.enqueue(ProfileJob.KIND);
        requests.insert(job, networkId, request);
        return ResponseEntity.accepted()
                .location(URI.create("/api/profile-jobs/" + job))
                .body(get(job));
    }

    @GetMapping("/api/networks/{networkId}/profile-jobs")
    List<ProfileJobView> list(@PathVariable long networkId) {
        if (!networks.exists(networkId)) {
            throw new NotFoundException("Network", networkId);
        }
        return requests.jobsOfNetwork(networkId).stream().map(this::get).toList();
    }

    @GetMapping("/api/profile-jobs/{id}")
    ProfileJobView get(@PathVariable long id) {
        ProfileJobRepository.StoredProfileJob stored =
                requests.find(id).orElseThrow(() -> new NotFoundException("Profile job", id));
        JobRepository.JobState state = jobs.find(id).orElseThrow();
        return new ProfileJobView(
                id,
                stored.networkId(),
                state.status(),
                state.progress(),
                state.error(),
                stored.request(),
                stored.profileId(),
                state.createdAt(),
                state.finishedAt());
    }
}
