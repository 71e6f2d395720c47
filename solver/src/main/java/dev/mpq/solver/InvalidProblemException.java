package dev.mpq.solver;

/**
 * A problem that cannot be solved as stated. {@link #field()} names the offending field in the
 * terms of the problem document ({@code layers[3].options[1].bytes}, {@code ties[0]}, {@code
 * pins.conv1}, {@code budgets.latency}), so callers can point the user at it.
 */
public class InvalidProblemException extends IllegalArgumentException {

    private final String field;

    public InvalidProblemException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
