package dev.mpq.service.cli;

import dev.mpq.solver.bench.SolverBenchmark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mpq bench solver}: the exact-front engine on four generated instances against the CBC
 * baseline (CONTRACTS.md section 6). The work is {@link SolverBenchmark} in the solver module; this
 * command only maps options and exit codes.
 */
@Command(
        name = "solver",
        mixinStandardHelpOptions = true,
        description = {
            "Time the exact-front engine on HAWQ-V3 ResNet50 (three complete fronts), 800 x 3, 560 x 10 and",
            "46,000 x 6 (1,000 budget points each) against OR-Tools CBC on sampled budget points.",
            "Prints the machine and a readable table on stderr, the JSON array on stdout.",
            "The 46,000 x 6 instance is meant for a 2 GB heap: MPQ_JAVA_OPTS=-Xmx2g ./mpq bench solver"
        })
public final class BenchSolverCommand implements Callable<Integer> {

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the JSON array to FILE.")
    Path json;

    @Mixin
    HawqDataOption data = new HawqDataOption();

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Threads of the exact-front engine (default: all cores; CBC always uses one).")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        Path directory = data.resolve();
        try {
            SolverBenchmark.runAndPrint(
                    directory, json, threads == null ? Runtime.getRuntime().availableProcessors() : threads);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
        return 0;
    }
}
