package dev.mpq.service.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The published HAWQ-V3 inputs (data/hawq, see its README) as API documents: the network, the
 * profile penalty(layer, b) = trace x delta_w_sq_b, and the T4 cost table (measured latency, bytes =
 * parameters x b / 8, BOPs = MACs x b x b), with precisions {@code int4:int4} and {@code int8:int8}.
 */
public final class HawqData {

    public static final String INT4 = "int4:int4";
    public static final String INT8 = "int8:int8";

    /** One ILP layer. */
    public record Layer(
            int index,
            String name,
            double trace,
            double dw8,
            double dw4,
            long params,
            long macs,
            double lat4,
            double lat8,
            String tie) {}

    private final String model;
    private final List<Layer> layers;

    private HawqData(String model, List<Layer> layers) {
        this.model = model;
        this.layers = layers;
    }

    public static Path dataDirectory() {
        String dir = System.getProperty("mpq.data");
        if (dir == null) {
            throw new IllegalStateException(
                    "Run tests through Maven: it sets -Dmpq.data to the repository's data/ directory.");
        }
        return Path.of(dir);
    }

    public static HawqData load(String model) {
        List<Layer> layers = new ArrayList<>();
        for (Map<String, String> row : csv(dataDirectory().resolve("hawq/" + model + "_ilp_inputs.csv"))) {
            layers.add(new Layer(
                    Integer.parseInt(row.get("layer_index")),
                    "L%02d_%s".formatted(Integer.parseInt(row.get("layer_index")), row.get("layer_name")),
                    Double.parseDouble(row.get("hutchinson_trace_per_param")),
                    Double.parseDouble(row.get("delta_w_sq_int8")),
                    Double.parseDouble(row.get("delta_w_sq_int4")),
                    Long.parseLong(row.get("num_params")),
                    Long.parseLong(row.get("macs")),
                    Double.parseDouble(row.get("latency_int4")),
                    Double.parseDouble(row.get("latency_int8")),
                    row.get("tie_group")));
        }
        return new HawqData(model, layers);
    }

    public List<Layer> layers() {
        return layers;
    }

    public double penalty(Layer layer, int bits) {
        return layer.trace() * (bits == 4 ? layer.dw4() : layer.dw8());
    }

    public double cost(Layer layer, int bits, String metric) {
        return switch (metric) {
            case "bytes" -> layer.params() * bits / 8.0;
            case "bops" -> (double) layer.macs() * bits * bits;
            case "latency" -> bits == 4 ? layer.lat4() : layer.lat8();
            case "penalty" -> penalty(layer, bits);
            default -> throw new IllegalArgumentException(metric);
        };
    }

    /** Total of a metric when every layer takes {@code bits[i]}. */
    public double total(int[] bits, String metric) {
        double sum = 0;
        for (int i = 0; i < layers.size(); i++) {
            sum += cost(layers.get(i), bits[i], metric);
        }
        return sum;
    }

    public Map<String, Object> networkRequest(String name) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Layer layer : layers) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", layer.name());
            l.put("kind", "conv");
            l.put("parameters", layer.params());
            l.put("macs", layer.macs());
            l.put("tieGroup", layer.tie().isEmpty() ? null : model + "-tie-" + layer.tie());
            list.add(l);
        }
        return Map.of("name", name, "layers", list);
    }

    public Map<String, Object> profileRequest() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Layer layer : layers) {
            list.add(Map.of(
                    "name", layer.name(), "penalties", Map.of(INT4, penalty(layer, 4), INT8, penalty(layer, 8))));
        }
        return Map.of("name", "hawq-v3", "method", "hawq", "layers", list);
    }

    public Map<String, Object> costTableRequest() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Layer layer : layers) {
            Map<String, Object> costs = new LinkedHashMap<>();
            for (int bits : new int[] {4, 8}) {
                costs.put(
                        bits == 4 ? INT4 : INT8,
                        Map.of(
                                "latency", cost(layer, bits, "latency"),
                                "bytes", cost(layer, bits, "bytes"),
                                "bops", cost(layer, bits, "bops")));
            }
            list.add(Map.of("name", layer.name(), "costs", costs));
        }
        return Map.of("layers", list);
    }

    /** The published bit configuration (per ILP layer, in layer order) of a scheme such as {@code bops_0.5}. */
    public int[] published(String scheme) {
        int[] bits = new int[layers.size()];
        for (Map<String, String> row : csv(dataDirectory().resolve("hawq/" + model + "_published_bit_configs.csv"))) {
            String index = row.get("ilp_layer_index");
            if (index != null && !index.isEmpty()) {
                bits[Integer.parseInt(index)] = Integer.parseInt(row.get(scheme));
            }
        }
        return bits;
    }

    private static List<Map<String, String>> csv(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            String[] header = lines.get(0).split(",", -1);
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.length; i++) {
                    row.put(header[i], i < cells.length ? cells[i] : "");
                }
                rows.add(row);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
