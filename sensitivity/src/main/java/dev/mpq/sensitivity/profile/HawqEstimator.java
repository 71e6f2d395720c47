package dev.mpq.sensitivity.profile;

import dev.mpq.core.NumericFormat;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hawq}: penalty = Tr(H_i) / n_i x ||Q(W_i) - W_i||^2 (HAWQ-V2/V3), with the Hessian traces
 * supplied by the user per layer.
 */
public final class HawqEstimator {

    public static final String METHOD = "hawq";

    private HawqEstimator() {}

    public static SensitivityProfile estimate(
            OnnxNetwork network,
            List<NumericFormat> formats,
            Map<String, Double> traces,
            String traceSource,
            int threads,
            ProgressListener progress) {
        List<String> missing = new ArrayList<>();
        for (var layer : network.layers()) {
            Double t = traces.get(layer.name());
            if (t == null) {
                missing.add(layer.name());
            } else if (!(t >= 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("Hessian trace of layer '%s' is %s; traces must be finite and >= 0."
                        .formatted(layer.name(), t));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(
                    "The Hessian traces (%s) lack %d layer(s): %s. Give one trace per layer name."
                            .formatted(
                                    traceSource,
                                    missing.size(),
                                    missing.size() > 5 ? missing.subList(0, 5) + "..." : missing));
        }
        List<LayerPenalties> layers = WeightPenalties.compute(
                network,
                formats,
                (layer, m, q, scratch) ->
                        traces.get(layer.name()) / layer.spec().parameters() * LayerErrors.total(q, m, scratch),
                threads,
                progress);
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("weights", network.model().path().getFileName().toString());
        inputs.put("penalty", "Tr(H)/n * sum (Q(W) - W)^2");
        inputs.put("traces", traceSource);
        return new SensitivityProfile(network.spec().name(), METHOD, layers, inputs);
    }

    /**
     * Reads traces: JSON {@code {"layer": trace, ...}} (or {@code {"traces": {...}}}), or CSV with a
     * header naming a {@code layer} (or {@code name}) column and a {@code trace} column.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Double> readTraces(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the Hessian traces %s: %s".formatted(file, e));
        }
        Map<String, Double> traces = new LinkedHashMap<>();
        if (text.trim().startsWith("{")) {
            Object root = JsonText.parse(text);
            Map<String, Object> map = (Map<String, Object>) root;
            if (map.get("traces") instanceof Map<?, ?> inner) {
                map = (Map<String, Object>) inner;
            }
            for (Map.Entry<String, Object> e : map.entrySet()) {
                if (!(e.getValue() instanceof Double d)) {
                    throw new IllegalArgumentException(
                            "%s: the trace of '%s' is not a number.".formatted(file, e.getKey()));
                }
                traces.put(e.getKey(), d);
            }
            return traces;
        }
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(
                    "%s is empty; expected CSV with layer and trace columns.".formatted(file));
        }
        List<String> header =
                List.of(lines.get(0).toLowerCase(java.util.Locale.ROOT).split(","));
        int name = header.indexOf("layer") >= 0 ? header.indexOf("layer") : header.indexOf("name");
        int trace = header.indexOf("trace");
        if (name < 0 || trace < 0) {
            throw new IllegalArgumentException(
                    "%s: the CSV header %s needs a 'layer' (or 'name') and a 'trace' column.".formatted(file, header));
        }
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            try {
                traces.put(cells[name].trim(), Double.parseDouble(cells[trace].trim()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "%s line %d: '%s' has no numeric trace.".formatted(file, i + 1, lines.get(i)));
            }
        }
        return traces;
    }
}
