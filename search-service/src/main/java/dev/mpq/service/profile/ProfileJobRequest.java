package dev.mpq.service.profile;

import dev.mpq.sensitivity.profile.Profiles;
import dev.mpq.sensitivity.runtime.OutputMetric;
import dev.mpq.service.api.Validation;
import java.util.Arrays;
import java.util.List;

/**
 * {@code POST /api/networks/{id}/profile-jobs}: compute a sensitivity profile from the network's
 * uploaded weights, in the background.
 *
 * @param method weight-error, activation-weighted, hawq (Hessian traces by finite differences) or
 *     measured (the network run with one layer quantized at a time)
 * @param formats format ids; empty = the whole catalogue
 * @param samples generated calibration inputs (default 16)
 * @param sequenceLength tokens per generated input (default 16)
 * @param seed seed of the generated inputs (default 0)
 * @param metric output change for {@code measured}: mse, cosine or kl (default mse)
 * @param outputGains {@code activation-weighted} only: weight each layer by its gain to the network's
 *     output (finite-difference Hessian traces, relative pooled moments); the better predictor of
 *     the network's output error (sensitivity/README.md), at the cost of extra network runs
 */
public record ProfileJobRequest(
        String name,
        String method,
        List<String> formats,
        Integer samples,
        Integer sequenceLength,
        Long seed,
        String metric,
        Boolean outputGains) {

    void validate() {
        Validation errors = new Validation();
        if (method == null || !Profiles.METHODS.contains(method)) {
            errors.reject("method", "Method '%s' is unknown; use one of %s.".formatted(method, Profiles.METHODS));
        }
        if (formats != null) {
            for (int i = 0; i < formats.size(); i++) {
                try {
                    Profiles.formats(List.of(formats.get(i)));
                } catch (IllegalArgumentException e) {
                    errors.reject("formats[%d]".formatted(i), e.getMessage());
                }
            }
        }
        if (samples != null && (samples < 1 || samples > 1024)) {
            errors.reject("samples", "samples is %d; use 1..1024.".formatted(samples));
        }
        if (sequenceLength != null && (sequenceLength < 1 || sequenceLength > 4096)) {
            errors.reject("sequenceLength", "sequenceLength is %d; use 1..4096.".formatted(sequenceLength));
        }
        if (Boolean.TRUE.equals(outputGains) && !"activation-weighted".equals(method)) {
            errors.reject(
                    "outputGains",
                    "outputGains applies to method activation-weighted only, not '%s'; drop it or change the method."
                            .formatted(method));
        }
        if (metric != null && outputMetric() == null) {
            errors.reject("metric", "Metric '%s' is unknown; use mse, cosine or kl.".formatted(metric));
        }
        errors.throwIfInvalid();
    }

    OutputMetric outputMetric() {
        if (metric == null) {
            return OutputMetric.MSE;
        }
        return Arrays.stream(OutputMetric.values())
                .filter(m -> m.name().equalsIgnoreCase(metric))
                .findFirst()
                .orElse(null);
    }

    String nameOrDefault() {
        return name == null || name.isBlank() ? method : name;
    }
}
