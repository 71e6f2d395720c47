package dev.mpq.costs.hawq;

import dev.mpq.costs.CsvDocument;
import dev.mpq.costs.CsvFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Reads the HAWQ-V3 files of {@code data/hawq/} (see its README for provenance): the ILP inputs,
 * the published bit configurations and the model-zoo results.
 */
public final class HawqData {

    private final Path directory;

    /** @param directory the {@code hawq} directory (holding {@code resnet50_ilp_inputs.csv} etc.) */
    public HawqData(Path directory) {
        if (!Files.isRegularFile(directory.resolve("resnet50_ilp_inputs.csv"))) {
            throw new IllegalArgumentException(
                    "%s does not hold the HAWQ-V3 data (resnet50_ilp_inputs.csv); point to the repository's data/hawq."
                            .formatted(directory));
        }
        this.directory = directory;
    }

    /** The {@code hawq} directory under a data directory ({@code -Dmpq.data}). */
    public static HawqData inDataDirectory(Path data) {
        return new HawqData(data.resolve("hawq"));
    }

    public Path directory() {
        return directory;
    }

    /** One row of {@code <model>_ilp_inputs.csv}; latencies in the file's undocumented units. */
    public record IlpLayer(
            int index,
            String name,
            double tracePerParameter,
            double deltaWSquaredInt8,
            double deltaWSquaredInt4,
            long parameters,
            long macs,
            double latencyInt4,
            double latencyInt8,
            String tieGroup) {

        /** The latency at 4 or 8 bits. */
        public double latency(int bits) {
            return switch (bits) {
                case 4 -> latencyInt4;
                case 8 -> latencyInt8;
                default -> throw new IllegalArgumentException("HAWQ-V3 layers have 4 or 8 bits, not " + bits + ".");
            };
        }
    }

    /** The ILP inputs of {@code resnet18} or {@code resnet50}, in layer order. */
    public List<IlpLayer> ilpInputs(String model) {
        CsvDocument csv = CsvDocument.read(directory.resolve(model + "_ilp_inputs.csv"));
        List<IlpLayer> layers = new ArrayList<>();
        for (CsvDocument.Row row : csv.rows()) {
            int index = (int) row.integer("layer_index");
            if (index != layers.size()) {
                throw row.error("layer_index", "expected layer index %d".formatted(layers.size()));
            }
            layers.add(new IlpLayer(
                    index,
                    row.required("layer_name"),
                    row.number("hutchinson_trace_per_param"),
                    row.number("delta_w_sq_int8"),
                    row.number("delta_w_sq_int4"),
                    row.integer("num_params"),
                    row.integer("macs"),
                    row.number("latency_int4"),
                    row.number("latency_int8"),
                    row.text("tie_group")));
        }
        return List.copyOf(layers);
    }

    /** One layer of a published configuration file; {@code ilpIndex} is -1 for the fixed 8-bit layers. */
    public record ConfigLayer(String name, int ilpIndex) {}

    /** The published configurations of a model: layer list and bits per scheme. */
    public record PublishedConfigs(List<ConfigLayer> layers, Map<String, List<Integer>> bitsByScheme) {

        public PublishedConfigs {
            layers = List.copyOf(layers);
            Map<String, List<Integer>> copy = new LinkedHashMap<>();
            bitsByScheme.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            bitsByScheme = Collections.unmodifiableMap(copy);
        }

        public List<String> schemes() {
            return List.copyOf(bitsByScheme.keySet());
        }

        /** Bits of every layer (in {@link #layers()} order) in a scheme. */
        public List<Integer> bits(String scheme) {
            List<Integer> bits = bitsByScheme.get(scheme);
            if (bits == null) {
                throw new IllegalArgumentException(
                        "No published scheme '%s'; schemes: %s".formatted(scheme, bitsByScheme.keySet()));
            }
            return bits;
        }
    }

    /** {@code <model>_published_bit_configs.csv}. */
    public PublishedConfigs publishedConfigs(String model) {
        CsvDocument csv = CsvDocument.read(directory.resolve(model + "_published_bit_configs.csv"));
        List<String> schemes = csv.header().subList(2, csv.header().size());
        List<ConfigLayer> layers = new ArrayList<>();
        Map<String, List<Integer>> bits = new LinkedHashMap<>();
        schemes.forEach(s -> bits.put(s, new ArrayList<>()));
        for (CsvDocument.Row row : csv.rows()) {
            int index = row.has("ilp_layer_index") ? (int) row.integer("ilp_layer_index") : -1;
            layers.add(new ConfigLayer(row.required("layer_name"), index));
            for (String scheme : schemes) {
                long b = row.integer(scheme);
                if (b != 4 && b != 8) {
                    throw row.error(scheme, "bits %d are not 4 or 8".formatted(b));
                }
                bits.get(scheme).add((int) b);
            }
        }
        return new PublishedConfigs(layers, bits);
    }

    /** One row of {@code published_results_model_zoo.csv}; {@code latencyMsBatch8} empty when unpublished. */
    public record ZooResult(
            String model,
            String scheme,
            double modelSizeMb,
            double bopsG,
            double speedupVsFp32,
            double top1Percent,
            OptionalDouble latencyMsBatch8) {}

    public List<ZooResult> modelZoo() {
        CsvDocument csv = CsvDocument.read(directory.resolve("published_results_model_zoo.csv"));
        List<ZooResult> results = new ArrayList<>();
        for (CsvDocument.Row row : csv.rows()) {
            results.add(new ZooResult(
                    row.required("model"),
                    row.required("scheme"),
                    row.number("model_size_MB"),
                    row.number("BOPS_G"),
                    row.number("speedup_vs_fp32_T4"),
                    row.number("top1_acc_pct"),
                    row.has("latency_ms_batch8_T4")
                            ? OptionalDouble.of(row.number("latency_ms_batch8_T4"))
                            : OptionalDouble.empty()));
        }
        return List.copyOf(results);
    }

    /** The model-zoo row of a model and scheme. */
    public ZooResult zoo(String model, String scheme) {
        return modelZoo().stream()
                .filter(r -> r.model().equals(model) && r.scheme().equals(scheme))
                .findFirst()
                .orElseThrow(() -> new CsvFormatException(
                        "published_results_model_zoo.csv", 1, 0, null, "no row for %s %s".formatted(model, scheme)));
    }

    /** The AutoTVM T4 kernel log. */
    public Path tvmLog() {
        return directory.resolve("tvm_t4_kernel_latency_batch8.csv");
    }
}
