package dev.mpq.solver.bench;

import dev.mpq.solver.Group;
import dev.mpq.solver.Option;
import dev.mpq.solver.SearchProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HAWQ-V3 ILP inputs ({@code data/hawq/<model>_ilp_inputs.csv}) as a {@link SearchProblem}:
 * one group per layer named {@code L<index, 2 digits>_<layer_name>}, options {@code int4} and
 * {@code int8} with penalty = trace x delta_w_sq, bytes = params x bits / 8, bops = macs x bits^2,
 * latency = the measured latency at that width; layers with the same {@code tie_group} are tied.
 * No budget and no front: callers add them.
 */
public final class HawqProblems {

    public static final List<String> METRICS = List.of("penalty", "bytes", "bops", "latency");

    private HawqProblems() {}

    public static SearchProblem read(Path csv, String name) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = Arrays.asList(lines.get(0).strip().split(",", -1));
        List<Group> groups = new ArrayList<>();
        Map<String, List<String>> tieGroups = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.strip().split(",", -1);
            double trace = Double.parseDouble(cells[header.indexOf("hutchinson_trace_per_param")]);
            long params = Long.parseLong(cells[header.indexOf("num_params")]);
            double macs = Double.parseDouble(cells[header.indexOf("macs")]);
            String layer = "L%02d_%s"
                    .formatted(
                            Integer.parseInt(cells[header.indexOf("layer_index")]),
                            cells[header.indexOf("layer_name")]);
            List<Option> options = new ArrayList<>();
            for (int bits : new int[] {4, 8}) {
                double penalty = trace * Double.parseDouble(cells[header.indexOf("delta_w_sq_int" + bits)]);
                double bytes = params * bits / 8.0;
                double bops = macs * bits * bits;
                double latency = Double.parseDouble(cells[header.indexOf("latency_int" + bits)]);
                options.add(new Option("int" + bits, new double[] {penalty, bytes, bops, latency}));
            }
            groups.add(new Group(layer, options));
            String tie = cells[header.indexOf("tie_group")];
            if (!tie.isEmpty()) {
                tieGroups.computeIfAbsent(tie, t -> new ArrayList<>()).add(layer);
            }
        }
        List<List<String>> ties =
                tieGroups.values().stream().filter(t -> t.size() > 1).toList();
        return new SearchProblem(
                "hawq-" + name, METRICS, groups, "penalty", Map.of(), ties, Map.of(), Map.of(), List.of(), 10_000);
    }
}
