package dev.mpq.costs;

/**
 * A CSV document that cannot be read, with the place of the problem: the source name, the 1-based
 * line and, when the problem is in one cell, the 1-based column and its header name.
 */
public final class CsvFormatException extends IllegalArgumentException {

    private final String source;
    private final int line;
    private final int column;
    private final String columnName;

    public CsvFormatException(String source, int line, int column, String columnName, String problem) {
        super(format(source, line, column, columnName, problem));
        this.source = source;
        this.line = line;
        this.column = column;
        this.columnName = columnName;
    }

    private static String format(String source, int line, int column, String columnName, String problem) {
        StringBuilder where = new StringBuilder(source).append(": line ").append(line);
        if (column > 0) {
            where.append(", column ").append(column);
            if (columnName != null && !columnName.isEmpty()) {
                where.append(" (").append(columnName).append(')');
            }
        }
        return where.append(": ").append(problem).toString();
    }

    /** The name of the document (file name or a caller's label). */
    public String source() {
        return source;
    }

    /** The 1-based line of the problem. */
    public int line() {
        return line;
    }

    /** The 1-based column of the problem, 0 when the problem concerns the whole line. */
    public int column() {
        return column;
    }

    /** The header name of the column, or an empty string. */
    public String columnName() {
        return columnName == null ? "" : columnName;
    }
}
