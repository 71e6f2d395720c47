package dev.mpq.service.api;

/** Missing or unknown credentials; answered with 401. */
public class UnauthorizedException extends RuntimeException {

    public UnauthorizedException(String message) {
        super(message);
    }
}
