package dev.mpq.service.profile;

import dev.mpq.core.NetworkSpec;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import dev.mpq.sensitivity.profile.LayerPenalties;
import dev.mpq.sensitivity.profile.ProfileOptions;
import dev.mpq.sensitivity.profile.Profiles;
import dev.mpq.sensitivity.profile.SensitivityProfile;
import dev.mpq.service.job.JobContext;
import dev.mpq.service.job.JobHandler;
import dev.mpq.service.network.NetworkModelRepository;
import dev.mpq.service.network.NetworkRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Computes a profile from the network's weights (outside any transaction, reporting progress), then
 * stores it and completes the job in one transaction.
 */
@Component
class ProfileJob implements JobHandler {

    static final String KIND = "profile";

    private final ProfileJobRepository requests;
    private final ProfileRepository profiles;
    private final NetworkRepository networks;
    private final NetworkModelRepository weights;
    private final TransactionTemplate transaction;

    ProfileJob(
            ProfileJobRepository requests,
            ProfileRepository profiles,
            NetworkRepository networks,
            NetworkModelRepository weights,
            TransactionTemplate transaction) {
        this.requests = requests;
        this.profiles = profiles;
        this.networks = networks;
        this.weights = weights;
        this.transaction = transaction;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void run(JobContext job) throws Exception {
        ProfileJobRepository.StoredProfileJob stored = requests.find(job.jobId())
                .orElseThrow(() -> new IllegalStateException("Job %d has no profile request".formatted(job.jobId())));
        ProfileJobRequest request = stored.request();
        NetworkSpec network = networks.find(stored.networkId()).orElseThrow().spec();
        Path file = Files.createTempFile("mpq-profile-", ".onnx");
        try {
            if (!weights.copyTo(stored.networkId(), file)) {
                throw new IllegalStateException(
                        "Network %d has no weights file any more.".formatted(stored.networkId()));
            }
            ProfileOptions options = ProfileOptions.defaults()
                    .withGenerated(
                            request.samples() == null ? 16 : request.samples(),
                            request.sequenceLength() == null ? 16 : request.sequenceLength(),
                            request.seed() == null ? 0 : request.seed())
                    .withMetric(request.outputMetric())
                    .withOutputGains(Boolean.TRUE.equals(request.outputGains()));
            long[] lastReport = {0};
            SensitivityProfile profile = Profiles.compute(
                    OnnxNetwork.read(file),
                    request.method(),
                    Profiles.formats(request.formats()),
                    options,
                    (done, total, note) -> {
                        long now = System.nanoTime();
                        if (total > 0 && now - lastReport[0] > 500_000_000L) {
                            lastReport[0] = now;
                            job.progress(0.95 * done / total);
                        }
                    });
            List<Map<String, Double>> penalties = aligned(network, profile);
            transaction.executeWithoutResult(status -> {
                String name = uniqueName(stored.networkId(), request.nameOrDefault());
                Map<String, Object> inputs = new LinkedHashMap<>(profile.inputs());
                inputs.put("job", job.jobId());
                long id = profiles.insert(stored.networkId(), name, profile.method(), inputs, penalties);
                requests.setProfile(job.jobId(), id);
                job.complete();
            });
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The profile's penalties in the network's layer order (precision ids are the format ids). */
    private static List<Map<String, Double>> aligned(NetworkSpec network, SensitivityProfile profile) {
        return network.layers().stream()
                .map(layer -> {
                    LayerPenalties penalties = profile.layer(layer.name());
                    return (Map<String, Double>) new LinkedHashMap<>(penalties.penalties());
                })
                .toList();
    }

    private String uniqueName(long networkId, String name) {
        String candidate = name;
        for (int i = 2; profiles.nameTaken(networkId, candidate); i++) {
            candidate = name + " (" + i + ")";
        }
        return candidate;
    }
}
