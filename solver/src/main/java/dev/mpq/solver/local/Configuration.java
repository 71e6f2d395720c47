package dev.mpq.solver.local;

import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.score.buildin.hardsoftlong.HardSoftLongScore;
import java.util.List;

/**
 * Timefold planning solution: one {@link BlockChoice} per tie block, the shared integer model, and
 * the score (hard = scaled budget excess, soft = scaled objective, both negated). Mutable because
 * Timefold demands it; it never leaves this package.
 */
@PlanningSolution
public class Configuration {

    private ScaledModel model;

    @PlanningEntityCollectionProperty
    private List<BlockChoice> choices;

    @PlanningScore
    private HardSoftLongScore score;

    public Configuration() {}

    Configuration(ScaledModel model, List<BlockChoice> choices) {
        this.model = model;
        this.choices = choices;
    }

    ScaledModel model() {
        return model;
    }

    public List<BlockChoice> getChoices() {
        return choices;
    }

    public HardSoftLongScore getScore() {
        return score;
    }

    public void setScore(HardSoftLongScore score) {
        this.score = score;
    }

    int[] candidates() {
        int[] result = new int[choices.size()];
        for (BlockChoice choice : choices) {
            result[choice.getBlock()] = choice.getCandidate();
        }
        return result;
    }
}
