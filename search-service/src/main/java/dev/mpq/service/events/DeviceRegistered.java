package dev.mpq.service.events;

/** Published inside the transaction that stores a new device. */
public record DeviceRegistered(long deviceId) {}
