package dev.mpq.costs;

/** Whether a device is a GPU (or other accelerator) or a CPU; decides the worker that can measure it. */
public enum DeviceKind {
    GPU("gpu"),
    CPU("cpu");

    private final String id;

    DeviceKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static DeviceKind fromId(String id) {
        for (DeviceKind kind : values()) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown device kind '%s'; use gpu or cpu.".formatted(id));
    }

    @Override
    public String toString() {
        return id;
    }
}
