package dev.mpq.solver.bench;

import com.google.ortools.Loader;
import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPSolverParameters;
import com.google.ortools.linearsolver.MPVariable;
import dev.mpq.solver.TieBlocks;

/**
 * The baseline of the solver benchmark: the HAWQ-V3 / TensorRT Model Optimizer way, an ILP solved by
 * COIN-OR CBC (through OR-Tools MPSolver) for one budget at a time. Configured as CONTRACTS.md
 * section 6 says: relative gap 0, one thread, penalties scaled so the largest is 1, and the model
 * built anew for every budget (building is part of the measured time). The model is written on the
 * tie blocks (one binary per block candidate), the same reduced problem our engines solve, which
 * only makes CBC's task smaller.
 */
final class CbcBaseline {

    static {
        Loader.loadNativeLibraries();
    }

    private CbcBaseline() {}

    /**
     * One answer.
     *
     * @param candidates a candidate per block, or null when CBC proved nothing in time
     * @param objective the objective total of those candidates, recomputed in doubles
     * @param resource the resource total, recomputed in doubles
     * @param seconds wall time including model building
     * @param optimal CBC reports OPTIMAL
     */
    record Answer(int[] candidates, double objective, double resource, double seconds, boolean optimal) {}

    static Answer solve(TieBlocks blocks, int objective, int resource, double budget, double timeLimitSeconds) {
        long start = System.nanoTime();
        int n = blocks.blockCount();
        double maxPenalty = 0;
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < blocks.candidateCount(b); c++) {
                maxPenalty = Math.max(maxPenalty, blocks.value(b, c, objective));
            }
        }
        double scale = maxPenalty > 0 ? 1 / maxPenalty : 1;
        MPSolver solver = MPSolver.createSolver("CBC");
        try {
            MPVariable[][] x = new MPVariable[n][];
            for (int b = 0; b < n; b++) {
                x[b] = new MPVariable[blocks.candidateCount(b)];
                for (int c = 0; c < x[b].length; c++) {
                    x[b][c] = solver.makeBoolVar("x_" + b + "_" + c);
                }
            }
            for (int b = 0; b < n; b++) {
                MPConstraint one = solver.makeConstraint(1, 1, "one_" + b);
                for (MPVariable variable : x[b]) {
                    one.setCoefficient(variable, 1);
                }
            }
            MPConstraint cap = solver.makeConstraint(-MPSolver.infinity(), budget, "budget");
            MPObjective goal = solver.objective();
            for (int b = 0; b < n; b++) {
                for (int c = 0; c < x[b].length; c++) {
                    cap.setCoefficient(x[b][c], blocks.value(b, c, resource));
                    goal.setCoefficient(x[b][c], blocks.value(b, c, objective) * scale);
                }
            }
            goal.setMinimization();
            solver.setNumThreads(1);
            solver.setTimeLimit(Math.max(1L, (long) (timeLimitSeconds * 1000)));
            MPSolverParameters parameters = new MPSolverParameters();
            parameters.setDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 0.0);
            MPSolver.ResultStatus status = solver.solve(parameters);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (status != MPSolver.ResultStatus.OPTIMAL) {
                return new Answer(null, Double.NaN, Double.NaN, seconds, false);
            }
            int[] candidates = new int[n];
            double p = 0;
            double r = 0;
            for (int b = 0; b < n; b++) {
                int chosen = 0;
                for (int c = 0; c < x[b].length; c++) {
                    if (x[b][c].solutionValue() > 0.5) {
                        chosen = c;
                    }
                }
                candidates[b] = chosen;
                p += blocks.value(b, chosen, objective);
                r += blocks.value(b, chosen, resource);
            }
            return new Answer(candidates, p, r, seconds, true);
        } finally {
            solver.delete();
        }
    }
}
