package dev.mpq.solver.evolution;

/**
 * A minimised objective the solver cannot see inside (for example the output error measured by
 * running the quantized network): it replaces the problem's {@code minimize} metric in the
 * evolutionary search. Called from the search's worker threads, so implementations must be
 * thread-safe when {@code threads > 1}.
 */
@FunctionalInterface
public interface BlackBoxObjective {

    /**
     * @param choices the option index per group, in the problem's group order
     * @return the objective value (finite; lower is better)
     */
    double evaluate(int[] choices);
}
