package dev.mpq.service.solve;

import dev.mpq.solver.Group;
import dev.mpq.solver.InvalidProblemException;
import dev.mpq.solver.Option;
import dev.mpq.solver.SearchProblem;
import dev.mpq.solver.SolveOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The problem document of {@code ./mpq solve} (CONTRACTS.md section 4), read into a {@link
 * SearchProblem} plus the run's engine and {@link SolveOptions}. Every error names the field in the
 * document's own terms ({@code layers[2].options[0].bytes}).
 */
public record ProblemDocument(SearchProblem problem, String engine, SolveOptions options) {

    /** Reads a parsed JSON document; throws {@link InvalidProblemException} naming the field. */
    public static ProblemDocument read(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidProblemException("", "The problem document must be a JSON object.");
        }
        String name = optionalText(root, "name", "");
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray()) {
            throw new InvalidProblemException("layers", "layers is missing; give a list of {name, options}.");
        }
        List<String> metrics = null;
        List<Group> groups = new ArrayList<>(layersNode.size());
        for (int g = 0; g < layersNode.size(); g++) {
            JsonNode layer = layersNode.get(g);
            String at = "layers[%d]".formatted(g);
            if (!layer.isObject()) {
                throw new InvalidProblemException(at, "Each layer must be an object {name, options}.");
            }
            String layerName = requiredText(layer, "name", at + ".name");
            JsonNode optionsNode = layer.get("options");
            if (optionsNode == null || !optionsNode.isArray()) {
                throw new InvalidProblemException(
                        at + ".options", "Layer (%s) has no options list.".formatted(layerName));
            }
            List<Option> options = new ArrayList<>(optionsNode.size());
            for (int o = 0; o < optionsNode.size(); o++) {
                JsonNode option = optionsNode.get(o);
                String oat = "%s.options[%d]".formatted(at, o);
                if (!option.isObject()) {
                    throw new InvalidProblemException(oat, "Each option must be an object {id, metric: number, ...}.");
                }
                String id = requiredText(option, "id", oat + ".id");
                List<String> names = new ArrayList<>();
                List<Double> values = new ArrayList<>();
                for (Map.Entry<String, JsonNode> field : option.properties()) {
                    if (field.getKey().equals("id")) {
                        continue;
                    }
                    if (!field.getValue().isNumber()) {
                        throw new InvalidProblemException(
                                oat + "." + field.getKey(),
                                "Option (%s) of layer (%s) has %s = %s; every field other than id is a metric and must be a number."
                                        .formatted(id, layerName, field.getKey(), field.getValue()));
                    }
                    names.add(field.getKey());
                    values.add(field.getValue().doubleValue());
                }
                if (metrics == null) {
                    metrics = List.copyOf(names);
                }
                double[] ordered = new double[metrics.size()];
                if (!new java.util.HashSet<>(names).equals(new java.util.HashSet<>(metrics))) {
                    throw new InvalidProblemException(
                            oat,
                            "Option (%s) of layer (%s) has metrics %s, but the first option of the problem has %s; all options need the same metrics."
                                    .formatted(id, layerName, names, metrics));
                }
                for (int i = 0; i < names.size(); i++) {
                    ordered[metrics.indexOf(names.get(i))] = values.get(i);
                }
                options.add(new Option(id, ordered));
            }
            groups.add(new Group(layerName, options));
        }
        String minimize = optionalText(root, "minimize", "penalty");
        SearchProblem problem = new SearchProblem(
                name,
                metrics == null ? List.of(minimize) : metrics,
                groups,
                minimize,
                numberMap(root, "budgets"),
                ties(root),
                pins(root),
                numberMap(root, "transition_cost"),
                front(root),
                (int) optionalLong(root, "front_points", SearchProblem.DEFAULT_FRONT_POINTS));
        String engine = optionalText(root, "engine", null);
        long seed = optionalLong(root, "seed", 0);
        double timeLimit = optionalNumber(root, "time_limit_s", 60);
        if (!(timeLimit > 0) || Double.isInfinite(timeLimit)) {
            throw new InvalidProblemException(
                    "time_limit_s", "time_limit_s is %s; give a positive number of seconds.".formatted(timeLimit));
        }
        int threads = (int) optionalLong(root, "threads", Runtime.getRuntime().availableProcessors());
        SolveOptions options = new SolveOptions(seed, Duration.ofNanos((long) (timeLimit * 1e9)), threads);
        return new ProblemDocument(problem, engine, options);
    }

    private static List<String> front(JsonNode root) {
        JsonNode node = root.get("front");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isString()) {
            return List.of(node.stringValue());
        }
        if (!node.isArray()) {
            throw new InvalidProblemException("front", "front must be a list of metric names, e.g. [\"bytes\"].");
        }
        List<String> metrics = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isString()) {
                throw new InvalidProblemException("front[%d]".formatted(i), "front lists metric names (strings).");
            }
            metrics.add(node.get(i).stringValue());
        }
        return metrics;
    }

    private static List<List<String>> ties(JsonNode root) {
        JsonNode node = root.get("ties");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidProblemException("ties", "ties must be a list of lists of layer names.");
        }
        List<List<String>> ties = new ArrayList<>();
        for (int t = 0; t < node.size(); t++) {
            JsonNode tie = node.get(t);
            if (!tie.isArray() || tie.isEmpty()) {
                throw new InvalidProblemException(
                        "ties[%d]".formatted(t), "Each tie must be a non-empty list of layer names.");
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < tie.size(); i++) {
                if (!tie.get(i).isString()) {
                    throw new InvalidProblemException(
                            "ties[%d][%d]".formatted(t, i), "A tie lists layer names (strings).");
                }
                names.add(tie.get(i).stringValue());
            }
            ties.add(names);
        }
        return ties;
    }

    private static Map<String, String> pins(JsonNode root) {
        JsonNode node = root.get("pins");
        Map<String, String> pins = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return pins;
        }
        if (!node.isObject()) {
            throw new InvalidProblemException("pins", "pins must be an object {layer: optionId}.");
        }
        for (Map.Entry<String, JsonNode> pin : node.properties()) {
            if (!pin.getValue().isString()) {
                throw new InvalidProblemException(
                        "pins." + pin.getKey(), "A pin maps a layer to an option id (string).");
            }
            pins.put(pin.getKey(), pin.getValue().stringValue());
        }
        return pins;
    }

    private static Map<String, Double> numberMap(JsonNode root, String field) {
        JsonNode node = root.get(field);
        Map<String, Double> values = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isObject()) {
            throw new InvalidProblemException(field, "%s must be an object {metric: number}.".formatted(field));
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isNumber()) {
                throw new InvalidProblemException(
                        field + "." + entry.getKey(),
                        "%s.%s is %s; it must be a number.".formatted(field, entry.getKey(), entry.getValue()));
            }
            values.put(entry.getKey(), entry.getValue().doubleValue());
        }
        return values;
    }

    private static String requiredText(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString() || value.stringValue().isBlank()) {
            throw new InvalidProblemException(path, "%s must be a non-blank string.".formatted(path));
        }
        return value.stringValue();
    }

    private static String optionalText(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isString()) {
            throw new InvalidProblemException(field, "%s must be a string.".formatted(field));
        }
        return value.stringValue();
    }

    private static long optionalLong(JsonNode node, String field, long fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber()) {
            throw new InvalidProblemException(field, "%s is %s; it must be an integer.".formatted(field, value));
        }
        return value.longValue();
    }

    private static double optionalNumber(JsonNode node, String field, double fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw new InvalidProblemException(field, "%s is %s; it must be a number.".formatted(field, value));
        }
        return value.doubleValue();
    }
}
