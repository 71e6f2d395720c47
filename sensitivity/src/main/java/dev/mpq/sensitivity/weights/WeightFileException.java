package dev.mpq.sensitivity.weights;

import java.nio.file.Path;

/**
 * A weight file that is corrupt, truncated or uses something this reader does not support. The
 * message names the file, where the problem is (a byte offset or a tensor) and the reason.
 */
public final class WeightFileException extends IllegalArgumentException {

    private final transient Path file;
    private final String location;
    private final String reason;

    public WeightFileException(Path file, String location, String reason) {
        super("%s: %s: %s".formatted(file, location, reason));
        this.file = file;
        this.location = location;
        this.reason = reason;
    }

    public WeightFileException(Path file, String location, String reason, Throwable cause) {
        this(file, location, reason);
        initCause(cause);
    }

    /** At a byte offset. */
    public static WeightFileException at(Path file, long offset, String reason) {
        return new WeightFileException(file, "offset " + offset, reason);
    }

    /** In a named tensor. */
    public static WeightFileException inTensor(Path file, String tensor, String reason) {
        return new WeightFileException(file, "tensor '" + tensor + "'", reason);
    }

    public Path file() {
        return file;
    }

    public String location() {
        return location;
    }

    public String reason() {
        return reason;
    }
}
