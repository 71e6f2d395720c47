package dev.mpq.service.device;

import dev.mpq.costs.DeviceCatalog;
import dev.mpq.costs.DeviceSpec;
import dev.mpq.service.api.Validation;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/devices}: a target device, usually from a catalogue entry with overrides.
 *
 * @param name unique, e.g. {@code t4-lab-3}
 * @param kind {@code cpu} or {@code gpu}; defaults to the catalogue entry's kind
 * @param catalogue a catalogue id ({@code GET /api/devices/catalogue}: t4, a100-80gb, h100-sxm, l4,
 *     rtx-4090, b200, xeon-8480, apple-m2, avx2-cpu); gives the device a cost model, so searches need
 *     no user cost table
 * @param overrides fields of the catalogue entry to replace (peak per math mode, bandwidth, memory,
 *     efficiencies, overhead, ...); with every field given this is a full spec
 * @param spec free-form notes kept with the device
 */
public record DeviceRequest(
        String name, String kind, String catalogue, DeviceSpec.Overrides overrides, Map<String, Object> spec) {

    static final Set<String> KINDS = Set.of("cpu", "gpu");

    /** Validates and returns the resolved model spec (null without a catalogue entry). */
    DeviceSpec validate() {
        Validation errors = new Validation();
        if (name == null || name.isBlank()) {
            errors.reject("name", "A device needs a non-blank name, e.g. t4-lab-3.");
        }
        DeviceSpec resolved = null;
        if (catalogue != null) {
            if (DeviceCatalog.find(catalogue).isEmpty()) {
                errors.reject(
                        "catalogue",
                        "Unknown catalogue entry '%s'; use one of %s."
                                .formatted(
                                        catalogue,
                                        DeviceCatalog.all().stream()
                                                .map(DeviceSpec::id)
                                                .toList()));
            } else {
                try {
                    resolved = DeviceCatalog.derive(catalogue, overrides);
                } catch (IllegalArgumentException e) {
                    errors.reject("overrides", e.getMessage());
                }
            }
        } else if (overrides != null) {
            errors.reject(
                    "catalogue",
                    "Overrides apply to a catalogue entry; name one (e.g. avx2-cpu) and override its fields.");
        }
        String effectiveKind =
                kind != null ? kind : resolved != null ? resolved.kind().id() : null;
        if (effectiveKind == null || !KINDS.contains(effectiveKind)) {
            errors.reject("kind", "Device kind '%s' is unknown; use cpu or gpu.".formatted(effectiveKind));
        } else if (resolved != null && !effectiveKind.equals(resolved.kind().id())) {
            errors.reject(
                    "kind",
                    "Catalogue entry '%s' is a %s, not a %s."
                            .formatted(catalogue, resolved.kind().id(), kind));
        }
        errors.throwIfInvalid();
        return resolved;
    }

    String effectiveKind(DeviceSpec resolved) {
        return kind != null ? kind : resolved.kind().id();
    }
}
