package dev.mpq.service.network;

import dev.mpq.core.NetworkSpec;
import java.time.Instant;

/** A network as stored: its id, when it was created and its layers. */
public record StoredNetwork(long id, Instant createdAt, NetworkSpec spec) {}
