package dev.mpq.service.device;

import java.time.Instant;
import java.util.Map;

/** A device as stored. */
public record StoredDevice(long id, String name, String kind, Map<String, Object> spec, Instant createdAt) {}
