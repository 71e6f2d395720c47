package dev.mpq.solver;

import java.util.Arrays;

/**
 * One choice for a group: an id and a value for every metric of the problem, in the problem's
 * metric order.
 */
public record Option(String id, double[] values) {

    public Option {
        if (id == null || id.isBlank()) {
            throw new InvalidProblemException("id", "An option has no id; every option needs a non-blank id.");
        }
        values = values.clone();
    }

    public double value(int metric) {
        return values[metric];
    }

    /** The number of metric values (without copying them). */
    public int metricCount() {
        return values.length;
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Option o && id.equals(o.id) && Arrays.equals(values, o.values);
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return id + Arrays.toString(values);
    }
}
