package dev.mpq.core.worker;

import java.util.List;

/**
 * A task leased to a worker. Exactly one of {@code items} (kind {@code profile}) and {@code layers}
 * (kind {@code validate}) is used. The worker renews the lease before {@code leaseSeconds} pass and
 * reports with {@code leaseToken}; a lease that expires goes to another worker, and reports with an
 * old token are refused.
 *
 * @param items the measurements still missing (items already reported by anyone are left out)
 * @param batch the batch of a validation run
 * @param modelUrl where to download the network's ONNX weights for a validation run (null when the
 *     service has no weights for it); relative to the server URL
 */
public record TaskLease(
        long taskId,
        String kind,
        String leaseToken,
        long leaseSeconds,
        long deviceId,
        List<ProfileItem> items,
        List<ValidateLayer> layers,
        int batch,
        String modelUrl) {

    public static final String PROFILE = "profile";
    public static final String VALIDATE = "validate";

    public TaskLease {
        items = List.copyOf(items == null ? List.of() : items);
        layers = List.copyOf(layers == null ? List.of() : layers);
    }
}
