package dev.mpq.sensitivity.format;

/**
 * The encoding of one quantized element, before any scale: a small float (E4M3, E2M1, ...) or a
 * fixed-point integer (MXINT8). Every implementation rounds half to even and saturates to its
 * largest finite magnitude.
 */
public sealed interface Element permits MiniFloat, FixedPointElement {

    /** The nearest representable value (ties to even), saturated to +-{@link #maxFinite()}; NaN stays NaN. */
    double round(double x);

    /** The largest finite magnitude. */
    double maxFinite();

    /** floor(log2(maxFinite())): OCP MX v1.0's emax of the element type. */
    int emax();

    /** A short name for messages, e.g. {@code e2m1}. */
    String name();
}
