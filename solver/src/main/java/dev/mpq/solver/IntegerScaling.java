package dev.mpq.solver;

/**
 * Maps the real-valued metric of a block problem onto integers for CP-SAT: every value v becomes
 * about v x factor, with the largest possible total mapped to {@link #RESOLUTION}. Each coefficient
 * is off by less than one unit, so a sum over n blocks is off by less than n units; the engines use
 * that bound to turn integer answers back into exact statements about doubles.
 *
 * <p>Rounding directions: {@link #floor} coefficients with a floored budget relax a constraint (every
 * configuration within the real budget stays feasible); {@link #ceil} coefficients with a floored
 * budget tighten it (every integer-feasible configuration is feasible in doubles).
 */
public record IntegerScaling(double factor) {

    /** Integer value of the largest possible total: 2^50 keeps every sum far inside a long. */
    public static final long RESOLUTION = 1L << 50;

    public IntegerScaling {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("A scaling factor must be positive and finite, not " + factor);
        }
    }

    /** The scaling that maps {@code maxTotal} to {@link #RESOLUTION} (factor 1 for a zero metric). */
    public static IntegerScaling forMaxTotal(double maxTotal) {
        return new IntegerScaling(maxTotal > 0 ? RESOLUTION / maxTotal : 1.0);
    }

    public long round(double value) {
        return Math.round(value * factor);
    }

    public long floor(double value) {
        return (long) Math.floor(value * factor);
    }

    public long ceil(double value) {
        return (long) Math.ceil(value * factor);
    }

    /** A scaled integer back in the metric's units. */
    public double unscale(double scaled) {
        return scaled / factor;
    }
}
