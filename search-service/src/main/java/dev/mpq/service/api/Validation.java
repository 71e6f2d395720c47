package dev.mpq.service.api;

import java.util.ArrayList;
import java.util.List;

/** Collects every field error of a request, then throws them together. */
public final class Validation {

    private final List<FieldError> errors = new ArrayList<>();

    public Validation reject(String field, String message) {
        errors.add(new FieldError(field, message));
        return this;
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** Throws {@link InvalidRequestException} with everything collected so far, if anything. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }
}
