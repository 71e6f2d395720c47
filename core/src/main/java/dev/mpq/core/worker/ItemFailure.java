package dev.mpq.core.worker;

/** A profile item a worker cannot measure (no kernel for its precision, say), and why. */
public record ItemFailure(String itemKey, String reason) {

    public ItemFailure {
        if (itemKey == null || itemKey.isBlank()) {
            throw new IllegalArgumentException("A failure needs the key of the item it is about.");
        }
        reason = reason == null || reason.isBlank() ? "not measurable on this worker" : reason;
    }
}
