package dev.mpq.service.cli;

/** Invalid input or usage: the command exits with code 2 and this message on stderr. */
public class InputException extends RuntimeException {

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
