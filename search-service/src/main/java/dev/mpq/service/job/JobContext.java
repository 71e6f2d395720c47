package dev.mpq.service.job;

/** What a running job can see and do: its id, its attempt, progress, completion. */
public interface JobContext {

    long jobId();

    int attempt();

    /** Reports progress between 0 and 1 (best effort; shown by the API). */
    void progress(double fraction);

    /**
     * Marks the job done, inside the caller's transaction. Throws {@link LeaseLostException} when
     * this replica no longer holds the job's lease (another replica took it over): the caller's
     * transaction must then roll back so the result is stored once.
     */
    void complete();
}
