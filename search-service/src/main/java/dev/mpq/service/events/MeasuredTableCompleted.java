package dev.mpq.service.events;

/**
 * Published (inside the reporting transaction) when a profile task of a device has a measurement
 * for every item: the device's measured table for that network is complete.
 */
public record MeasuredTableCompleted(long deviceId, long networkId, long taskId) {}
