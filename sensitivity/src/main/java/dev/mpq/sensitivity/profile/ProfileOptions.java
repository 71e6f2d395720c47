package dev.mpq.sensitivity.profile;

import dev.mpq.sensitivity.runtime.OutputMetric;
import java.nio.file.Path;

/**
 * Inputs of a profile computation beyond the model, method and formats.
 *
 * @param threads worker threads for quantization and ONNX Runtime
 * @param texts calibration texts, one sample per line (needs {@code tokenizer}); null = generated inputs
 * @param tokenizer a WordPiece tokenizer.json for {@code texts}
 * @param generatedSamples how many samples to generate when no texts are given
 * @param sequenceLength the length of unknown (symbolic) non-batch input dimensions of generated samples
 * @param seed seed of generated samples and of Hessian-trace probes
 * @param calibrationInputs uploaded calibration inputs (safetensors, one tensor per model input, samples first); null = texts or generated
 * @param activationStatistics uploaded E[x_c^2] per layer (ActivationStatistics JSON); null = collect by running the model
 * @param outputGains activation-weighted: the output-aware variant (pooled second moments x per-layer
 *     output gains from finite-difference Hessian traces); false = the plain diagonal formula
 * @param hawqTraces hawq: a file of per-layer Hessian traces (JSON or CSV); null = estimate them by finite differences
 * @param metric measured (and trace estimation uses MSE): the output change metric
 * @param meanPool pool a rank-3 output [1, tokens, hidden] over tokens before comparing (sentence embeddings)
 * @param traceProbes Rademacher probes per layer for finite-difference Hessian traces
 * @param traceSigma probe size relative to the layer's weight RMS
 * @param weightsAsInputs measured and trace runs: feed replaced weights as inputs of one open session
 *     (initializers declared as graph inputs in a rewritten copy) instead of a session per
 *     measurement with addInitializer overrides; same results, fewer session builds
 */
public record ProfileOptions(
        int threads,
        Path texts,
        Path tokenizer,
        int generatedSamples,
        int sequenceLength,
        long seed,
        Path calibrationInputs,
        Path activationStatistics,
        boolean outputGains,
        Path hawqTraces,
        OutputMetric metric,
        boolean meanPool,
        int traceProbes,
        double traceSigma,
        boolean weightsAsInputs) {

    public ProfileOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads is %d; use 1 or more.".formatted(threads));
        }
        if ((texts == null) != (tokenizer == null)) {
            throw new IllegalArgumentException(
                    "Calibration texts need a tokenizer and a tokenizer needs texts; give both (--texts FILE --tokenizer FILE) or neither.");
        }
        if (generatedSamples < 1 || sequenceLength < 1) {
            throw new IllegalArgumentException("generated samples (%d) and sequence length (%d) must be >= 1."
                    .formatted(generatedSamples, sequenceLength));
        }
        if (traceProbes < 1 || !(traceSigma > 0)) {
            throw new IllegalArgumentException(
                    "trace probes (%d) must be >= 1 and trace sigma (%s) > 0.".formatted(traceProbes, traceSigma));
        }
        if (metric == null) {
            metric = OutputMetric.MSE;
        }
    }

    /** All cores, generated calibration (16 samples of length 16, seed 0), plain formulas, MSE, mean pooling, 2 probes of 0.05. */
    public static ProfileOptions defaults() {
        return new ProfileOptions(
                Runtime.getRuntime().availableProcessors(),
                null,
                null,
                16,
                16,
                0,
                null,
                null,
                false,
                null,
                OutputMetric.MSE,
                true,
                2,
                0.05,
                false);
    }

    public ProfileOptions withTexts(Path textFile, Path tokenizerJson) {
        return new ProfileOptions(
                threads,
                textFile,
                tokenizerJson,
                generatedSamples,
                sequenceLength,
                seed,
                calibrationInputs,
                activationStatistics,
                outputGains,
                hawqTraces,
                metric,
                meanPool,
                traceProbes,
                traceSigma,
                weightsAsInputs);
    }

    public ProfileOptions withCalibrationInputs(Path file) {
        return new ProfileOptions(
                threads,
                texts,
                tokenizer,
                generatedSamples,
                sequenceLength,
                seed,
                file,
                activationStatistics,
                outputGains,
                hawqTraces,
                metric,
                meanPool,
                traceProbes,
                traceSigma,
                weightsAsInputs);
    }

    public ProfileOptions withThreads(int n) {
        return new ProfileOptions(
                n,
                texts,
                tokenizer,
                generatedSamples,
                sequenceLength,
                seed,
                calibrationInputs,
                activationStatistics,
                outputGains,
                hawqTraces,
                metric,
                meanPool,
                traceProbes,
                traceSigma,
                weightsAsInputs);
    }

    public ProfileOptions withOutputGains(boolean on) {
        return new ProfileOptions(
                threads,
                texts,
                tokenizer,
                generatedSamples,
                sequenceLength,
                seed,
                calibrationInputs,
                activationStatistics,
                on,
                hawqTraces,
                metric,
                meanPool,
                traceProbes,
                traceSigma,
                weightsAsInputs);
    }

    public ProfileOptions withHawqTraces(Path file) {
        return new ProfileOptions(
                threads,
                texts,
                tokenizer,
                generatedSamples,
                sequenceLength,
                seed,
                calibrationInputs,
                activationStatistics,
                outputGains,
                file,
                metric,
                meanPool,
                traceProbes,
                traceSigma,
                weightsAsInputs);
    }

    public ProfileOptions withMetric(OutputMetric m) {
        return new ProfileOptions(
                threads,
                texts,
                tokenizer,
                generatedSamples,
                sequenceLength,
                seed,
                calibrationInputs,
                activationStatistics,
                outputGains,
                hawqTraces,
                m,
                meanPool,
                traceProbes,
                traceSigma,
                weightsAsInputs);
    }

    public ProfileOptions withActivationStatistics(Path file) {
        return new ProfileOptions(
                threads,
                texts,
                tokenizer,
                generatedSamples,
                sequenceLength,
                seed,
                calibrationInputs,
                file,
                outputGains,
                hawqTraces,
                metric,
                meanPool,
                traceProbes,
                traceSigma,
                weightsAsInputs);
    }

    public ProfileOptions withGenerated(int samples, int length, long newSeed) {
        return new ProfileOptions(
                threads,
                texts,
                tokenizer,
                samples,
                length,
                newSeed,
                calibrationInputs,
                activationStatistics,
                outputGains,
                hawqTraces,
                metric,
                meanPool,
                traceProbes,
                traceSigma,
                weightsAsInputs);
    }

    public ProfileOptions withMeanPool(boolean on) {
        return new ProfileOptions(
                threads,
                texts,
                tokenizer,
                generatedSamples,
                sequenceLength,
                seed,
                calibrationInputs,
                activationStatistics,
                outputGains,
                hawqTraces,
                metric,
                on,
                traceProbes,
                traceSigma,
                weightsAsInputs);
    }

    public ProfileOptions withWeightsAsInputs(boolean on) {
        return new ProfileOptions(
                threads,
                texts,
                tokenizer,
                generatedSamples,
                sequenceLength,
                seed,
                calibrationInputs,
                activationStatistics,
                outputGains,
                hawqTraces,
                metric,
                meanPool,
                traceProbes,
                traceSigma,
                on);
    }
}
