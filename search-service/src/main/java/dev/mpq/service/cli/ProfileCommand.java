package dev.mpq.service.cli;

import dev.mpq.sensitivity.profile.LayerPenalties;
import dev.mpq.sensitivity.profile.ProfileOptions;
import dev.mpq.sensitivity.profile.Profiles;
import dev.mpq.sensitivity.profile.ProgressListener;
import dev.mpq.sensitivity.profile.SensitivityProfile;
import dev.mpq.sensitivity.runtime.OutputMetric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mpq profile}: a sensitivity profile computed offline from an ONNX model (CONTRACTS.md
 * section 5). The work is {@link Profiles#compute} in the sensitivity module; this command maps
 * options, progress and exit codes.
 */
@Command(
        name = "profile",
        mixinStandardHelpOptions = true,
        description = {
            "Compute a sensitivity profile (penalty per layer and format) from an ONNX model.",
            "Methods: weight-error (sum (Q(W)-W)^2), activation-weighted (E[x_c^2]-weighted error,",
            "from calibration runs), hawq (Tr(H)/n * error, traces from --traces or estimated by",
            "finite differences), measured (the network run with one layer quantized at a time).",
            "Calibration: --texts with --tokenizer (BERT-style models), else generated inputs.",
            "Writes the profile JSON to --out or stdout; progress goes to stderr."
        })
public final class ProfileCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The ONNX model file.")
    Path model;

    @Option(
            names = "--method",
            required = true,
            paramLabel = "M",
            description = "weight-error, activation-weighted, hawq or measured.")
    String method;

    @Option(
            names = "--formats",
            paramLabel = "IDS",
            split = ",",
            description = "Format ids (comma separated); default: the whole catalogue.")
    List<String> formats = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "Write the profile here instead of stdout.")
    Path out;

    @Option(
            names = "--texts",
            paramLabel = "FILE",
            description = "Calibration texts, one sample per line (needs --tokenizer).")
    Path texts;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "A WordPiece tokenizer.json for --texts.")
    Path tokenizer;

    @Option(
            names = "--samples",
            paramLabel = "N",
            defaultValue = "16",
            description = "Generated calibration samples when no --texts are given (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(
            names = "--sequence-length",
            paramLabel = "N",
            defaultValue = "16",
            description = "Length of symbolic input dimensions of generated samples (default ${DEFAULT-VALUE}).")
    int sequenceLength;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "0",
            description = "Seed of generated samples and trace probes.")
    long seed;

    @Option(
            names = "--calibration",
            paramLabel = "FILE",
            description = "Uploaded calibration inputs: safetensors, one tensor per model input, samples first.")
    Path calibration;

    @Option(
            names = "--statistics",
            paramLabel = "FILE",
            description =
                    "activation-weighted: uploaded E[x_c^2] per layer ({\"layers\": {name: [...]}}) instead of running the model.")
    Path statistics;

    @Option(
            names = "--output-gains",
            description = "activation-weighted: weight each layer by its output gain (finite-difference Hessian traces)"
                    + " and use the second moments of token-mean inputs (closer to the measured error, more runs).")
    boolean outputGains;

    @Option(
            names = "--traces",
            paramLabel = "FILE",
            description = "hawq: per-layer Hessian traces (JSON {layer: trace} or CSV layer,trace).")
    Path traces;

    @Option(
            names = "--metric",
            paramLabel = "M",
            defaultValue = "mse",
            description = "measured: mse, cosine or kl against the float network (default ${DEFAULT-VALUE}).")
    String metric;

    @Option(
            names = "--no-pool",
            description = "Compare the first output as is (default: mean-pool rank-3 outputs over tokens).")
    boolean noPool;

    @Option(
            names = "--weights-as-inputs",
            description =
                    "measured/hawq/--output-gains: feed replaced weights as inputs of one open ONNX Runtime session"
                            + " instead of building a session per measurement (same results, faster).")
    boolean weightsAsInputs;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        SensitivityProfile profile;
        try {
            ProfileOptions defaults = ProfileOptions.defaults();
            ProfileOptions options = new ProfileOptions(
                    threads == null ? defaults.threads() : threads,
                    texts,
                    tokenizer,
                    samples,
                    sequenceLength,
                    seed,
                    calibration,
                    statistics,
                    outputGains,
                    traces,
                    OutputMetric.fromId(metric),
                    !noPool,
                    defaults.traceProbes(),
                    defaults.traceSigma(),
                    weightsAsInputs);
            profile = Profiles.compute(model, method, formats, options, progress());
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
        String json =
                JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(document(profile));
        if (out != null) {
            Files.writeString(out, json + "\n");
            System.err.printf(
                    "profile: %d layers x %d formats written to %s%n",
                    profile.layers().size(), profile.layers().get(0).penalties().size(), out);
        } else {
            System.out.println(json);
        }
        return 0;
    }

    /** The JSON document of CONTRACTS.md section 5 (plus "inputs"). */
    public static Map<String, Object> document(SensitivityProfile profile) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", profile.model());
        doc.put("method", profile.method());
        doc.put("inputs", profile.inputs());
        List<Map<String, Object>> layers = new ArrayList<>();
        for (LayerPenalties l : profile.layers()) {
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("name", l.name());
            layer.put("kind", l.kind());
            layer.put("shape", l.shape());
            layer.put("parameters", l.parameters());
            layer.put("penalties", l.penalties());
            layers.add(layer);
        }
        doc.put("layers", layers);
        return doc;
    }

    private static ProgressListener progress() {
        long[] last = {0};
        return (done, total, note) -> {
            long now = System.nanoTime();
            if (done == total || now - last[0] > 1_000_000_000L) {
                last[0] = now;
                System.err.printf("profile: %d/%d %s%n", done, total, note);
            }
        };
    }
}
