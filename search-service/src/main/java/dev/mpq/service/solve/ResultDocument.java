package dev.mpq.service.solve;

import dev.mpq.solver.FrontPoint;
import dev.mpq.solver.Group;
import dev.mpq.solver.ParetoFront;
import dev.mpq.solver.SearchProblem;
import dev.mpq.solver.Violation;
import java.io.OutputStream;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes a {@link ParetoFront} as the result document of CONTRACTS.md section 4: {@code status},
 * {@code points} ({@code choices} by layer name, {@code metrics} totals, {@code gap}), {@code
 * violations}, {@code message}, {@code stats}. Streams, so fronts of large networks do not need a
 * second copy in memory.
 */
public final class ResultDocument {

    private ResultDocument() {}

    public static void write(ObjectMapper mapper, SearchProblem problem, ParetoFront front, OutputStream out) {
        try (JsonGenerator json = mapper.createGenerator(out)) {
            write(json, problem, front, extra -> {});
        }
    }

    /** The document as a string; {@code extra} writes more properties of the top-level object. */
    public static String toJson(
            ObjectMapper mapper,
            SearchProblem problem,
            ParetoFront front,
            java.util.function.Consumer<JsonGenerator> extra) {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        try (JsonGenerator json = mapper.createGenerator(buffer)) {
            write(json, problem, front, extra);
        }
        return buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static void write(
            JsonGenerator json,
            SearchProblem problem,
            ParetoFront front,
            java.util.function.Consumer<JsonGenerator> extra) {
        List<Group> groups = problem.groups();
        List<String> metrics = problem.metrics();
        json.writeStartObject();
        json.writeStringProperty("status", front.status().name());
        json.writeArrayPropertyStart("points");
        for (FrontPoint point : front.points()) {
            json.writeStartObject();
            json.writeObjectPropertyStart("choices");
            for (int g = 0; g < groups.size(); g++) {
                Group group = groups.get(g);
                json.writeStringProperty(
                        group.name(), group.options().get(point.choice(g)).id());
            }
            json.writeEndObject();
            json.writeObjectPropertyStart("metrics");
            for (int m = 0; m < metrics.size(); m++) {
                json.writeNumberProperty(metrics.get(m), point.total(m));
            }
            json.writeEndObject();
            json.writeName("gap");
            if (point.gap() == null) {
                json.writeNull();
            } else {
                json.writeNumber(point.gap());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayPropertyStart("violations");
        for (Violation violation : front.violations()) {
            json.writeStartObject();
            json.writeStringProperty("metric", violation.metric());
            json.writeNumberProperty("budget", violation.budget());
            json.writeNumberProperty("minimum", violation.minimum());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeStringProperty("message", front.message());
        json.writeName("stats");
        json.writePOJO(new java.util.LinkedHashMap<>(front.stats()));
        extra.accept(json);
        json.writeEndObject();
    }
}
