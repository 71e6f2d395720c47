package dev.mpq.service.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --data} option of the benchmarks that read the published HAWQ-V3 data, and its default. */
final class HawqDataOption {

    /** The file every HAWQ-V3 benchmark reads: a directory holding it is the data directory. */
    private static final Path MARKER = Path.of("hawq", "resnet50_ilp_inputs.csv");

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description =
                    "The data directory holding hawq/ (default: -Dmpq.data, $MPQ_DATA, ./data, or data/ above the jar).")
    Path directory;

    /**
     * The data directory: {@code --data} when given (checked); otherwise the first of
     * {@code -Dmpq.data}, {@code $MPQ_DATA}, {@code ./data} and a {@code data} directory above an
     * entry of the class path (the jar) that holds {@code hawq/resnet50_ilp_inputs.csv}.
     *
     * @throws InputException naming what was looked at and what to pass
     */
    Path resolve() {
        if (directory != null) {
            if (!Files.isRegularFile(directory.resolve(MARKER))) {
                throw new InputException(
                        "%s does not hold the HAWQ-V3 data (%s); point --data to the repository's data/ directory."
                                .formatted(directory, MARKER));
            }
            return directory;
        }
        List<Path> candidates = new ArrayList<>();
        for (String configured : new String[] {System.getProperty("mpq.data"), System.getenv("MPQ_DATA")}) {
            if (configured != null && !configured.isBlank()) {
                candidates.add(Path.of(configured));
            }
        }
        candidates.add(Path.of("data"));
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                for (Path dir = Path.of(entry).toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
                    candidates.add(dir.resolve("data"));
                }
            }
        }
        return candidates.stream()
                .filter(candidate -> Files.isRegularFile(candidate.resolve(MARKER)))
                .findFirst()
                .orElseThrow(() -> new InputException(
                        "Cannot find the HAWQ-V3 data (%s) in -Dmpq.data, $MPQ_DATA, ./data or above the jar; pass --data DIR (the repository's data/)."
                                .formatted(MARKER)));
    }
}
