package dev.mpq.sensitivity.profile;

import dev.mpq.core.FormatCatalog;
import dev.mpq.core.NumericFormat;
import dev.mpq.sensitivity.calibration.CalibrationSample;
import dev.mpq.sensitivity.calibration.CalibrationSets;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import dev.mpq.sensitivity.runtime.ActivationStatistics;
import dev.mpq.sensitivity.runtime.HessianTraces;
import dev.mpq.sensitivity.runtime.NetworkErrorMeter;
import dev.mpq.sensitivity.runtime.OutputMetric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The profile computation entry point: model file + method + formats + options -> profile (CONTRACTS.md
 * section 5). Invalid input (unknown method or format, unreadable or corrupt model, missing options)
 * raises {@link IllegalArgumentException} (a {@link dev.mpq.sensitivity.weights.WeightFileException}
 * for the model file) with a message naming the field or file; anything else is a failure.
 */
public final class Profiles {

    /** The methods of CONTRACTS.md section 5. */
    public static final List<String> METHODS = List.of(
            WeightErrorEstimator.METHOD,
            ActivationWeightedEstimator.METHOD,
            HawqEstimator.METHOD,
            MeasuredEstimator.METHOD);

    private Profiles() {}

    /** Formats by id; an empty list means the whole catalogue. */
    public static List<NumericFormat> formats(List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            return FormatCatalog.all();
        }
        return ids.stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(FormatCatalog::byId)
                .distinct()
                .toList();
    }

    /** Reads the model and computes its profile. */
    public static SensitivityProfile compute(
            Path model, String method, List<String> formatIds, ProfileOptions options, ProgressListener progress) {
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("Unknown method '%s'; use one of %s.".formatted(method, METHODS));
        }
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("Model file %s does not exist or is not a file.".formatted(model));
        }
        List<NumericFormat> formats = formats(formatIds);
        OnnxNetwork network = OnnxNetwork.read(model);
        return compute(network, method, formats, options, progress);
    }

    /** Computes the profile of an already read network. */
    public static SensitivityProfile compute(
            OnnxNetwork network,
            String method,
            List<NumericFormat> formats,
            ProfileOptions options,
            ProgressListener progress) {
        int threads = options.threads();
        switch (method) {
            case WeightErrorEstimator.METHOD -> {
                return WeightErrorEstimator.estimate(network, formats, threads, progress);
            }
            case ActivationWeightedEstimator.METHOD -> {
                if (options.activationStatistics() != null && !options.outputGains()) {
                    ActivationStatistics stats = ActivationStatistics.fromJson(read(options.activationStatistics()));
                    return ActivationWeightedEstimator.estimate(
                            network,
                            formats,
                            stats,
                            "uploaded statistics "
                                    + options.activationStatistics().getFileName(),
                            threads,
                            progress);
                }
                List<CalibrationSample> samples = calibration(network, options);
                ActivationStatistics stats =
                        ActivationStatistics.collect(network, samples, threads, options.outputGains(), progress);
                if (!options.outputGains()) {
                    return ActivationWeightedEstimator.estimate(
                            network, formats, stats, describe(options, samples), threads, progress);
                }
                Map<String, Double> traces = traces(network, samples, options, progress);
                return ActivationWeightedEstimator.estimateWithOutputGains(
                        network, formats, stats, traces, describe(options, samples), threads, progress);
            }
            case HawqEstimator.METHOD -> {
                if (options.hawqTraces() != null) {
                    Map<String, Double> traces = HawqEstimator.readTraces(options.hawqTraces());
                    return HawqEstimator.estimate(
                            network,
                            formats,
                            traces,
                            options.hawqTraces().getFileName().toString(),
                            threads,
                            progress);
                }
                List<CalibrationSample> samples = calibration(network, options);
                Map<String, Double> traces = traces(network, samples, options, progress);
                return HawqEstimator.estimate(
                        network,
                        formats,
                        traces,
                        "finite-difference Hessian traces (%d probes, sigma %s x rms, %s)"
                                .formatted(options.traceProbes(), options.traceSigma(), describe(options, samples)),
                        threads,
                        progress);
            }
            default -> {
                List<CalibrationSample> samples = calibration(network, options);
                try (NetworkErrorMeter meter = new NetworkErrorMeter(
                        network.model(),
                        samples,
                        options.metric(),
                        options.meanPool(),
                        threads,
                        options.weightsAsInputs())) {
                    return MeasuredEstimator.estimate(
                            network, formats, meter, describe(options, samples), samples.size(), progress);
                }
            }
        }
    }

    private static Map<String, Double> traces(
            OnnxNetwork network, List<CalibrationSample> samples, ProfileOptions options, ProgressListener progress) {
        try (NetworkErrorMeter mse = new NetworkErrorMeter(
                network.model(),
                samples,
                OutputMetric.MSE,
                options.meanPool(),
                options.threads(),
                options.weightsAsInputs())) {
            return HessianTraces.estimate(
                    network, mse, options.traceProbes(), options.traceSigma(), options.seed(), progress);
        }
    }

    /** The calibration samples the options describe. */
    public static List<CalibrationSample> calibration(OnnxNetwork network, ProfileOptions options) {
        if (options.calibrationInputs() != null) {
            return CalibrationSets.fromSafetensors(options.calibrationInputs(), network.model());
        }
        if (options.texts() != null) {
            return CalibrationSets.fromTextFile(options.texts(), options.tokenizer(), network.model());
        }
        return CalibrationSets.generated(
                network.model(), options.generatedSamples(), options.sequenceLength(), options.seed());
    }

    private static String describe(ProfileOptions options, List<CalibrationSample> samples) {
        if (options.calibrationInputs() != null) {
            return "%d uploaded samples from %s"
                    .formatted(samples.size(), options.calibrationInputs().getFileName());
        }
        return options.texts() != null
                ? "%d texts from %s tokenized with %s"
                        .formatted(
                                samples.size(),
                                options.texts().getFileName(),
                                options.tokenizer().getFileName())
                : "%d generated samples (sequence length %d, seed %d)"
                        .formatted(samples.size(), options.sequenceLength(), options.seed());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read %s: %s".formatted(file, e));
        }
    }
}
