package dev.mpq.core;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a quantizable layer computes; the id is the lower-case name used in documents and the API. */
public enum LayerKind {
    LINEAR("linear"),
    CONV("conv"),
    MATMUL("matmul"),
    EMBEDDING("embedding"),
    KV_CACHE("kv-cache");

    private final String id;

    LayerKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Parses a kind id such as {@code linear}; the message lists the accepted ids. */
    public static LayerKind fromId(String id) {
        for (LayerKind kind : values()) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown layer kind '%s'; use one of %s (lower case)."
                .formatted(id, Arrays.stream(values()).map(LayerKind::id).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return id;
    }
}
