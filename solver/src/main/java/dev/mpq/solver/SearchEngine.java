package dev.mpq.solver;

/**
 * One search engine. Every engine takes a {@link SearchProblem} and returns a {@link ParetoFront};
 * its encoding (one-hot booleans, labels, planning entities, genotypes) stays private to it.
 * Engines need not verify their answers: {@link Solver} runs the {@link FeasibilityChecker} on
 * every point they return.
 */
public interface SearchEngine {

    /** The engine's id as used in problem documents and search requests ({@code exact-front}, ...). */
    String name();

    /**
     * Whether every point this engine returns carries a proof (gap 0 or a proven gap) as its main
     * purpose: exact engines are the candidates of the default choice; heuristics are only used by
     * name.
     */
    default boolean exact() {
        return true;
    }

    /** Null when this engine can solve the problem, otherwise the reason it cannot. */
    String unsupportedReason(SearchProblem problem);

    /**
     * Refuses a problem this engine cannot solve.
     *
     * @throws InvalidProblemException on field {@code engine} with {@link #unsupportedReason}
     */
    default void requireSupported(SearchProblem problem) {
        String reason = unsupportedReason(problem);
        if (reason != null) {
            throw new InvalidProblemException("engine", reason);
        }
    }

    ParetoFront solve(SearchProblem problem, SolveOptions options);
}
