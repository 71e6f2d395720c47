package dev.mpq.solver;

/** Outcome of a search. An infeasible request is an answer, not an error. */
public enum SolveStatus {
    /** Every point is proven optimal (gap 0). */
    OPTIMAL,
    /** Points are feasible, at least one without a proof of optimality. */
    FEASIBLE,
    /** No configuration meets the budgets; see the violations. */
    INFEASIBLE
}
