package dev.mpq.solver;

import java.util.Arrays;

/**
 * One configuration of a front: the option index chosen for every group (in the problem's group
 * order), the totals of every metric (in the problem's metric order, recomputed in document order
 * by the {@link FeasibilityChecker}), and the proven relative gap to the optimum at this point's
 * budget: 0 = proven optimal, {@code null} = no proof.
 */
public record FrontPoint(int[] choices, double[] totals, Double gap) {

    public FrontPoint {
        choices = choices.clone();
        totals = totals.clone();
        if (gap != null && (gap.isNaN() || gap < 0)) {
            throw new IllegalArgumentException("A gap must be >= 0 or null, not " + gap);
        }
    }

    @Override
    public int[] choices() {
        return choices.clone();
    }

    @Override
    public double[] totals() {
        return totals.clone();
    }

    public int choice(int group) {
        return choices[group];
    }

    public double total(int metric) {
        return totals[metric];
    }

    public boolean proven() {
        return gap != null && gap == 0.0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FrontPoint p
                && Arrays.equals(choices, p.choices)
                && Arrays.equals(totals, p.totals)
                && java.util.Objects.equals(gap, p.gap);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(choices) * 31 + Arrays.hashCode(totals);
    }

    @Override
    public String toString() {
        return "FrontPoint" + Arrays.toString(totals) + " gap=" + gap;
    }
}
