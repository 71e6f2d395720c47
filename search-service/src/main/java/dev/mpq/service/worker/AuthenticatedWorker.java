package dev.mpq.service.worker;

/** The worker behind a request's bearer token, and the device it is bound to. */
public record AuthenticatedWorker(long workerId, long deviceId, String name) {}
