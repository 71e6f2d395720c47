package dev.mpq.service.profile;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A profile as stored: penalties per layer (aligned with the network's layers) and option. */
public record StoredProfile(
        long id,
        long networkId,
        String name,
        String method,
        Map<String, Object> inputs,
        List<Map<String, Double>> penalties,
        Instant createdAt) {}
