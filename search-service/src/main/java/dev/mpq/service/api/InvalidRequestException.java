package dev.mpq.service.api;

import java.util.List;

/** A request that fails validation; answered with 400 and its field errors. Nothing is stored. */
public class InvalidRequestException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidRequestException(List<FieldError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
    }

    public InvalidRequestException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String summary(List<FieldError> errors) {
        if (errors.isEmpty()) {
            return "Invalid request.";
        }
        FieldError first = errors.get(0);
        String more = errors.size() > 1 ? " (and %d more)".formatted(errors.size() - 1) : "";
        return (first.field().isEmpty() ? "" : first.field() + ": ") + first.message() + more;
    }
}
