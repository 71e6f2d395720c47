package dev.mpq.core;

import java.util.Objects;

/**
 * A weight format, optionally paired with an activation format. Weight-only precisions (no
 * activation format) compute with the device's default 16-bit activations.
 *
 * <p>Ids: {@code int4-g128} (weight-only) or {@code int4:int4} (weights and activations).
 */
public record Precision(NumericFormat weight, NumericFormat activation) {

    /** Activation bits of a weight-only precision: the device's default 16-bit format. */
    public static final int DEFAULT_ACTIVATION_BITS = 16;

    public Precision {
        Objects.requireNonNull(weight, "A precision needs a weight format.");
    }

    /** Parses {@code weight} or {@code weight:activation}. */
    public static Precision parse(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(
                    "Empty precision id; write a weight format such as int4-g128, or weight:activation such as int8:int8.");
        }
        int colon = id.indexOf(':');
        if (colon < 0) {
            return new Precision(FormatCatalog.byId(id), null);
        }
        if (id.indexOf(':', colon + 1) >= 0) {
            throw new IllegalArgumentException(
                    "Precision '%s' has more than one ':'; write weight:activation, e.g. int4:int4.".formatted(id));
        }
        return new Precision(FormatCatalog.byId(id.substring(0, colon)), FormatCatalog.byId(id.substring(colon + 1)));
    }

    public boolean weightOnly() {
        return activation == null;
    }

    public String id() {
        return weightOnly() ? weight.id() : weight.id() + ":" + activation.id();
    }

    /** Bits of one activation element, for BOPs. */
    public int activationBits() {
        return weightOnly() ? DEFAULT_ACTIVATION_BITS : activation.elementBits();
    }

    /** BOPs of {@code macs} multiply-accumulates: MACs x weight element bits x activation element bits. */
    public double bops(long macs) {
        return (double) macs * weight.elementBits() * activationBits();
    }

    /** Memory of {@code parameters} weights in bytes, from the effective bits per weight. */
    public double weightBytes(long parameters) {
        return parameters * weight.bitsPerWeight() / 8.0;
    }

    @Override
    public String toString() {
        return id();
    }
}
