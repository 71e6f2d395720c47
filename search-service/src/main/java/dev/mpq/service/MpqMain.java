package dev.mpq.service;

import dev.mpq.service.cli.BenchCommand;
import dev.mpq.service.cli.InputException;
import dev.mpq.service.cli.ProfileCommand;
import dev.mpq.service.cli.ServeCommand;
import dev.mpq.service.cli.SolveCommand;
import dev.mpq.solver.InvalidProblemException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line of MPQ ({@code ./mpq}). {@code serve} starts the Spring application; every other
 * command runs without a database or web server. Exit codes (CONTRACTS.md section 1): 0 success, 2
 * invalid input or usage (message on stderr naming the field or file), 1 anything else.
 */
@Command(
        name = "mpq",
        mixinStandardHelpOptions = true,
        versionProvider = MpqMain.Version.class,
        description = "Hardware-aware mixed-precision quantization search.",
        subcommands = {ServeCommand.class, SolveCommand.class, ProfileCommand.class, BenchCommand.class},
        footer = {
            "",
            "Also run by ./mpq, from the worker jar (devices/target/mpq-worker.jar, Vector API):",
            "  worker --server URL --token TOKEN   measure and validate on this machine for a device",
            "  bench kernels [--json FILE]         quantized kernel throughput and memory bandwidth"
        })
public final class MpqMain implements Runnable {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int INVALID_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Name a command: serve, solve, profile, bench.");
    }

    public static void main(String[] args) {
        CommandLine commandLine = commandLine();
        int code = commandLine.execute(args);
        if (!ServeCommand.serving()) {
            System.exit(code);
        }
    }

    /** The command line with MPQ's exit-code rules. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new MpqMain());
        commandLine.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("mpq: " + e.getMessage());
            failed.getErr().println("Try 'mpq " + failed.getCommandName() + " --help'.");
            return INVALID_INPUT;
        });
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> {
            String command = failed.getCommandSpec().qualifiedName();
            if (e instanceof InputException || e instanceof InvalidProblemException) {
                String field =
                        e instanceof InvalidProblemException ip && !ip.field().isEmpty() ? ip.field() + ": " : "";
                failed.getErr().println(command + ": " + field + e.getMessage());
                return INVALID_INPUT;
            }
            failed.getErr().println(command + ": " + e);
            e.printStackTrace(failed.getErr());
            return FAILURE;
        });
        return commandLine;
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = MpqMain.class.getPackage().getImplementationVersion();
            return new String[] {"mpq " + (version == null ? "(development build)" : version)};
        }
    }
}
