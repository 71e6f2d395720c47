package dev.mpq.costs;

import dev.mpq.core.LayerKind;
import dev.mpq.core.Precision;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Measured tables as CSV. Columns (header names, any order): {@code kind} (linear, conv, matmul,
 * embedding, kv-cache), {@code weight_shape} (dimensions joined by {@code x}, e.g. {@code 64x64x3x3};
 * may be empty when {@code parameters} is given), {@code parameters} (optional), {@code macs} (per
 * sample), {@code stride} (optional, empty = unknown), {@code precision} (e.g. {@code int8:int8}),
 * {@code batch}, {@code latency_seconds}, {@code source} (optional). Lines starting with {@code #}
 * are comments. Errors name the line and column.
 */
public final class MeasuredTableCsv {

    /** Required columns. */
    public static final Set<String> REQUIRED = Set.of("kind", "macs", "precision", "batch", "latency_seconds");

    private MeasuredTableCsv() {}

    public static MeasuredTable read(Reader reader, String source) {
        return read(CsvDocument.read(reader, source));
    }

    public static MeasuredTable read(CsvDocument document) {
        document.require(REQUIRED);
        if (!document.hasColumn("weight_shape") && !document.hasColumn("parameters")) {
            throw new CsvFormatException(
                    document.source(), 1, 0, null, "the header needs weight_shape or parameters (or both)");
        }
        List<Measurement> measurements = new ArrayList<>();
        for (CsvDocument.Row row : document.rows()) {
            LayerKind kind;
            try {
                kind = LayerKind.fromId(row.required("kind"));
            } catch (IllegalArgumentException e) {
                throw row.error("kind", e.getMessage());
            }
            List<Long> shape = row.has("weight_shape") ? dims(row, "weight_shape") : List.of();
            long parameters;
            if (row.has("parameters")) {
                parameters = row.integer("parameters");
            } else if (!shape.isEmpty()) {
                parameters = shape.stream().reduce(1L, Math::multiplyExact);
            } else {
                throw row.error("weight_shape", "give the weight shape or the parameter count");
            }
            long macs = row.integer("macs");
            int stride = row.has("stride") ? (int) row.integer("stride") : 0;
            LayerShape layerShape;
            try {
                layerShape = new LayerShape(kind, shape, parameters, macs, stride);
            } catch (IllegalArgumentException e) {
                throw row.error(row.has("weight_shape") ? "weight_shape" : "parameters", e.getMessage());
            }
            Precision precision;
            try {
                precision = Precision.parse(row.required("precision"));
            } catch (IllegalArgumentException e) {
                throw row.error("precision", e.getMessage());
            }
            long batch = row.integer("batch");
            if (batch < 1 || batch > Integer.MAX_VALUE) {
                throw row.error("batch", "batch %d is not valid; give the samples per step (>= 1)".formatted(batch));
            }
            double seconds = row.number("latency_seconds");
            if (!(seconds > 0)) {
                throw row.error("latency_seconds", "latency %s must be > 0".formatted(seconds));
            }
            String origin = row.has("source") ? row.text("source") : document.source() + ":" + row.line();
            measurements.add(new Measurement(layerShape, precision, (int) batch, seconds, origin));
        }
        return MeasuredTable.of(measurements);
    }

    /** Parses {@code 64x64x3x3} (positive dimensions); errors name the row and column. */
    static List<Long> dims(CsvDocument.Row row, String column) {
        return dims(row, column, 1);
    }

    /** Parses {@code 0x0x1x1} (dimensions >= 0, e.g. paddings); errors name the row and column. */
    static List<Long> dimsOrZero(CsvDocument.Row row, String column) {
        return dims(row, column, 0);
    }

    private static List<Long> dims(CsvDocument.Row row, String column, long minimum) {
        String text = row.required(column);
        List<Long> dims = new ArrayList<>();
        for (String part : text.split("x", -1)) {
            try {
                long dim = Long.parseLong(part.trim());
                if (dim < minimum) {
                    throw new NumberFormatException();
                }
                dims.add(dim);
            } catch (NumberFormatException e) {
                throw row.error(
                        column,
                        "'%s' is not a list of integers >= %d joined by 'x', e.g. 64x64x3x3".formatted(text, minimum));
            }
        }
        return dims;
    }

    /** Writes a table in the format {@link #read} reads. */
    public static String write(MeasuredTable table) {
        StringBuilder out =
                new StringBuilder("kind,weight_shape,parameters,macs,stride,precision,batch,latency_seconds,source\n");
        for (Measurement m : table.measurements()) {
            LayerShape s = m.shape();
            StringBuilder shape = new StringBuilder();
            for (int i = 0; i < s.weightShape().size(); i++) {
                shape.append(i == 0 ? "" : "x").append(s.weightShape().get(i));
            }
            out.append(s.kind().id())
                    .append(',')
                    .append(shape)
                    .append(',')
                    .append(s.parameters())
                    .append(',')
                    .append(s.macsPerSample())
                    .append(',')
                    .append(s.stride() == 0 ? "" : Integer.toString(s.stride()))
                    .append(',')
                    .append(m.precision().id())
                    .append(',')
                    .append(m.batch())
                    .append(',')
                    .append(m.latencySeconds())
                    .append(',')
                    .append(quote(m.source()))
                    .append('\n');
        }
        return out.toString();
    }

    private static String quote(String text) {
        if (text.contains(",") || text.contains("\"")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
