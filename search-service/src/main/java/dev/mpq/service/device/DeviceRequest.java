package dev.mpq.service.device;

import dev.mpq.service.api.Validation;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/devices}: a target device.
 *
 * @param name unique, e.g. {@code nvidia-t4}
 * @param kind {@code cpu} or {@code gpu}
 * @param spec free-form facts about the device (peak throughput, bandwidth, memory, ...)
 */
public record DeviceRequest(String name, String kind, Map<String, Object> spec) {

    static final Set<String> KINDS = Set.of("cpu", "gpu");

    void validate() {
        Validation errors = new Validation();
        if (name == null || name.isBlank()) {
            errors.reject("name", "A device needs a non-blank name, e.g. nvidia-t4.");
        }
        if (kind == null || !KINDS.contains(kind)) {
            errors.reject("kind", "Device kind '%s' is unknown; use cpu or gpu.".formatted(kind));
        }
        errors.throwIfInvalid();
    }
}
