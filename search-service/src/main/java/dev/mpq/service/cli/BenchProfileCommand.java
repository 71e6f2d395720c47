package dev.mpq.service.cli;

import dev.mpq.sensitivity.bench.DefaultModel;
import dev.mpq.sensitivity.bench.ProfileBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mpq bench profile}: the weight-error profile of a model over every catalogue format
 * (CONTRACTS.md section 6). The work is {@link ProfileBenchmark} in the sensitivity module.
 */
@Command(
        name = "profile",
        mixinStandardHelpOptions = true,
        description = {
            "Time the weight-error profile of a model over every catalogue format (default model:",
            "all-MiniLM-L6-v2 from the local Maven repository). One warm-up, then --runs timed runs;",
            "prints the machine and run times on stderr and the JSON object on stdout."
        })
public final class BenchProfileCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "FILE", description = "An ONNX model (default: all-MiniLM-L6-v2).")
    Path model;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the JSON object to FILE.")
    Path json;

    @Option(
            names = "--runs",
            paramLabel = "N",
            defaultValue = "3",
            description = "Timed runs after the warm-up (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            throw new InputException("--runs is " + runs + "; give at least 1.");
        }
        Path file;
        String label;
        try {
            if (model != null) {
                if (!Files.isRegularFile(model)) {
                    throw new InputException("--model " + model + " does not exist or is not a file.");
                }
                file = model;
                label = model.getFileName().toString();
            } else {
                file = DefaultModel.extract();
                label = DefaultModel.ENTRY;
            }
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
        ProfileBenchmark.Result r;
        try {
            r = ProfileBenchmark.run(
                    file,
                    label,
                    runs,
                    threads == null ? Runtime.getRuntime().availableProcessors() : threads,
                    System.err);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", r.model());
        doc.put("formats", r.formats());
        doc.put("seconds", r.seconds());
        doc.put("peak_rss_bytes", r.peakRssBytes());
        doc.put("model_bytes", r.modelBytes());
        doc.put("run_seconds", r.runSeconds());
        doc.put("layers", r.layers());
        doc.put("threads", r.threads());
        doc.put("format_ids", r.formatIds());
        String text = JsonMapper.builder().build().writeValueAsString(doc);
        System.out.println(text);
        if (json != null) {
            Files.writeString(json, text + "\n");
        }
        return 0;
    }
}
