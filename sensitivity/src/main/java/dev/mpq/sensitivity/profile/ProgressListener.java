package dev.mpq.sensitivity.profile;

/** Receives progress of a long estimate: {@code done} of {@code total} steps, with a short note. */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (done, total, note) -> {};

    void progress(long done, long total, String note);
}
