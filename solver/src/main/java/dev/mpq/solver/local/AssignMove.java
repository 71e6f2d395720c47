package dev.mpq.solver.local;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.move.AbstractMove;
import java.util.Arrays;
import java.util.List;

/** Sets one or more blocks to given candidates at once (change, pair and run moves). */
final class AssignMove extends AbstractMove<Configuration> {

    private final List<BlockChoice> entities;
    private final int[] values;

    AssignMove(List<BlockChoice> entities, int[] values) {
        this.entities = entities;
        this.values = values;
    }

    @Override
    public boolean isMoveDoable(ScoreDirector<Configuration> scoreDirector) {
        for (int i = 0; i < values.length; i++) {
            if (entities.get(i).getCandidate() != values[i]) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected void doMoveOnGenuineVariables(ScoreDirector<Configuration> scoreDirector) {
        for (int i = 0; i < values.length; i++) {
            BlockChoice entity = entities.get(i);
            if (entity.getCandidate() != values[i]) {
                scoreDirector.beforeVariableChanged(entity, "candidate");
                entity.setCandidate(values[i]);
                scoreDirector.afterVariableChanged(entity, "candidate");
            }
        }
    }

    @Override
    public String toString() {
        return "assign " + entities + " -> " + Arrays.toString(values);
    }
}
