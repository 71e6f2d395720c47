package dev.mpq.service.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code mpq bench <what>}: benchmarks that print their figures (CONTRACTS.md section 6). Each
 * benchmark is a sub-command; {@code bench kernels} runs in the worker jar.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Run a benchmark and print its figures as JSON (solver, profile, costs; kernels runs in the worker jar).",
        subcommands = {BenchCostsCommand.class, BenchProfileCommand.class, BenchSolverCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "Name a benchmark: solver, profile, costs (kernels: the worker jar).");
    }
}
