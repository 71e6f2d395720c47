package dev.mpq.costs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small RFC 4180 reader: comma separated, fields in double quotes may hold commas and doubled
 * quotes (no line breaks inside a field), the first non-comment line is the header. Lines that
 * start with {@code #} and blank lines are skipped. Every row remembers its line so errors can name
 * the line and column ({@link CsvFormatException}).
 */
public final class CsvDocument {

    private final String source;
    private final List<String> header;
    private final Map<String, Integer> columnIndex;
    private final List<Row> rows;

    private CsvDocument(String source, List<String> header, List<Row> rows, Map<String, Integer> columnIndex) {
        this.source = source;
        this.header = header;
        this.columnIndex = columnIndex;
        this.rows = List.copyOf(rows);
    }

    /** Reads a whole document; {@code source} names it in error messages. */
    public static CsvDocument read(Reader reader, String source) {
        List<String> header = null;
        Map<String, Integer> index = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        int lineNumber = 0;
        try (BufferedReader lines = new BufferedReader(reader)) {
            String line;
            while ((line = lines.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                List<String> fields = split(line, source, lineNumber);
                if (header == null) {
                    List<String> names = new ArrayList<>();
                    for (String name : fields) {
                        String trimmed = name.trim();
                        if (index.put(trimmed, names.size()) != null) {
                            throw new CsvFormatException(
                                    source,
                                    lineNumber,
                                    names.size() + 1,
                                    trimmed,
                                    "the header names column '%s' twice".formatted(trimmed));
                        }
                        names.add(trimmed);
                    }
                    header = List.copyOf(names);
                    continue;
                }
                if (fields.size() != header.size()) {
                    throw new CsvFormatException(
                            source,
                            lineNumber,
                            Math.min(fields.size(), header.size()) + 1,
                            null,
                            "the line has %d fields but the header has %d; check for a missing or extra comma"
                                    .formatted(fields.size(), header.size()));
                }
                rows.add(new Row(source, header, index, lineNumber, fields));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + source, e);
        }
        if (header == null) {
            throw new CsvFormatException(source, Math.max(lineNumber, 1), 0, null, "the document has no header line");
        }
        return new CsvDocument(source, header, rows, Collections.unmodifiableMap(index));
    }

    /** Reads a file; the file name is the source in error messages. */
    public static CsvDocument read(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return read(reader, file.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static List<String> split(String line, String source, int lineNumber) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                if (field.length() > 0 && !field.toString().isBlank()) {
                    throw new CsvFormatException(
                            source,
                            lineNumber,
                            fields.size() + 1,
                            null,
                            "a quote inside an unquoted field; quote the whole field and double inner quotes");
                }
                field.setLength(0);
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(wasQuoted ? field.toString() : field.toString().trim());
                field.setLength(0);
                wasQuoted = false;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new CsvFormatException(
                    source, lineNumber, fields.size() + 1, null, "a quoted field is not closed on its line");
        }
        fields.add(wasQuoted ? field.toString() : field.toString().trim());
        return fields;
    }

    public String source() {
        return source;
    }

    public List<String> header() {
        return header;
    }

    public List<Row> rows() {
        return rows;
    }

    /** Fails, naming the missing columns, unless every one of {@code required} is in the header. */
    public CsvDocument require(Set<String> required) {
        List<String> missing = required.stream()
                .filter(c -> !columnIndex.containsKey(c))
                .sorted()
                .toList();
        if (!missing.isEmpty()) {
            throw new CsvFormatException(
                    source, 1, 0, null, "the header lacks column(s) %s; it has %s".formatted(missing, header));
        }
        return this;
    }

    public boolean hasColumn(String name) {
        return columnIndex.containsKey(name);
    }

    /** One data line. */
    public static final class Row {
        private final String source;
        private final List<String> header;
        private final Map<String, Integer> columnIndex;
        private final int line;
        private final List<String> fields;

        private Row(
                String source, List<String> header, Map<String, Integer> columnIndex, int line, List<String> fields) {
            this.source = source;
            this.header = header;
            this.columnIndex = columnIndex;
            this.line = line;
            this.fields = List.copyOf(fields);
        }

        /** The 1-based line in the document. */
        public int line() {
            return line;
        }

        /** The text of a column (trimmed unless quoted); empty when the cell is empty. */
        public String text(String column) {
            return fields.get(index(column));
        }

        /** True when the column exists and its cell is not empty. */
        public boolean has(String column) {
            Integer i = columnIndex.get(column);
            return i != null && !fields.get(i).isEmpty();
        }

        /** The non-empty text of a column, or an error naming the line and column. */
        public String required(String column) {
            String value = text(column);
            if (value.isEmpty()) {
                throw error(column, "the cell is empty; a value is required");
            }
            return value;
        }

        public double number(String column) {
            String value = required(column);
            try {
                double parsed = Double.parseDouble(value);
                if (!Double.isFinite(parsed)) {
                    throw error(column, "'%s' is not a finite number".formatted(value));
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw error(column, "'%s' is not a number".formatted(value));
            }
        }

        public long integer(String column) {
            String value = required(column);
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw error(column, "'%s' is not an integer".formatted(value));
            }
        }

        /** An error located at this row and column. */
        public CsvFormatException error(String column, String problem) {
            Integer i = columnIndex.get(column);
            return new CsvFormatException(source, line, i == null ? 0 : i + 1, column, problem);
        }

        private int index(String column) {
            Integer i = columnIndex.get(column);
            if (i == null) {
                throw new CsvFormatException(
                        source,
                        line,
                        0,
                        column,
                        "there is no column '%s'; the header has %s".formatted(column, header));
            }
            return i;
        }
    }
}
