package dev.mpq.service.job;

/** This replica's lease on a job expired and another replica may hold it now. */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(long jobId) {
        super("Lost the lease on job %d; another replica will finish it.".formatted(jobId));
    }
}
