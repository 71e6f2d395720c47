package dev.mpq.service.api;

/** A resource that does not exist; answered with 404. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what, Object id) {
        super("%s %s does not exist.".formatted(what, id));
    }
}
