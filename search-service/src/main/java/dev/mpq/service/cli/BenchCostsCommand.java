package dev.mpq.service.cli;

import dev.mpq.costs.bench.CostsBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mpq bench costs}: the cost models against published HAWQ-V3 data (CONTRACTS.md section 6).
 * The work is {@link CostsBenchmark} in cost-models; this command only maps options and exit codes.
 */
@Command(
        name = "costs",
        mixinStandardHelpOptions = true,
        description = {
            "Check the cost models on published HAWQ-V3 data: model sizes, T4 latency calibrated on the",
            "ResNet50 layers with even index and evaluated on the odd ones, and end-to-end speed-up ratios.",
            "Prints the machine and a readable report on stderr, the JSON object on stdout."
        })
public final class BenchCostsCommand implements Callable<Integer> {

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the JSON object to FILE.")
    Path json;

    @Mixin
    HawqDataOption data = new HawqDataOption();

    @Override
    public Integer call() throws IOException {
        System.err.println(CostsBenchmark.machine());
        CostsBenchmark.Report report;
        try {
            report = CostsBenchmark.run(data.resolve());
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
        System.err.print(report.describe());
        String text = report.result().toJson();
        System.out.println(text);
        if (json != null) {
            Files.writeString(json, text + "\n");
        }
        return 0;
    }
}
