package dev.mpq.service.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data} option of the benchmarks that read the published HAWQ-V3 data. */
final class HawqDataOption {

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description =
                    "The data directory holding hawq/ (default: -Dmpq.data, $MPQ_DATA, ./data, or data/ above the jar).")
    Path directory;
}
