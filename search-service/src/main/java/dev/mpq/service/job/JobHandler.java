package dev.mpq.service.job;

/**
 * Runs one kind of job. A handler must finish the job itself with {@link JobContext#complete} in the
 * same transaction that stores its result, so a result is stored exactly when the job is done.
 */
public interface JobHandler {

    /** The {@code job.kind} this handler runs. */
    String kind();

    void run(JobContext job) throws Exception;
}
