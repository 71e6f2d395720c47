package dev.mpq.solver.local;

import ai.timefold.solver.core.api.score.buildin.hardsoftlong.HardSoftLongScore;
import ai.timefold.solver.core.api.score.calculator.IncrementalScoreCalculator;

/**
 * Incremental score: the objective and every budgeted resource (transition costs included) kept as
 * scaled integer totals; a change of one block touches its candidate and the consecutive pairs of
 * its groups. Hard = minus the summed budget excess, soft = minus the objective.
 */
public class ConfigurationScore implements IncrementalScoreCalculator<Configuration, HardSoftLongScore> {

    private ScaledModel model;
    private int[] candidate;
    private boolean[] switched;
    private long objective;
    private long[] resource;

    @Override
    public void resetWorkingSolution(Configuration solution) {
        model = solution.model();
        candidate = solution.candidates();
        objective = 0;
        resource = new long[model.caps.length];
        for (int b = 0; b < model.blockCount; b++) {
            int flat = model.start[b] + candidate[b];
            objective += model.objective[flat];
            for (int k = 0; k < resource.length; k++) {
                resource[k] += model.resource[k][flat];
            }
        }
        switched = new boolean[Math.max(0, model.groups - 1)];
        if (model.objectiveSwitch != 0 || hasResourceSwitch()) {
            for (int g = 0; g + 1 < model.groups; g++) {
                switched[g] = model.id(g, candidate) != model.id(g + 1, candidate);
                if (switched[g]) {
                    addSwitch(1);
                }
            }
        }
    }

    private boolean hasResourceSwitch() {
        for (long value : model.resourceSwitch) {
            if (value != 0) {
                return true;
            }
        }
        return false;
    }

    private void addSwitch(int sign) {
        objective += sign * model.objectiveSwitch;
        for (int k = 0; k < resource.length; k++) {
            resource[k] += sign * model.resourceSwitch[k];
        }
    }

    @Override
    public void beforeEntityAdded(Object entity) {}

    @Override
    public void afterEntityAdded(Object entity) {}

    @Override
    public void beforeVariableChanged(Object entity, String variableName) {
        int b = ((BlockChoice) entity).getBlock();
        int flat = model.start[b] + candidate[b];
        objective -= model.objective[flat];
        for (int k = 0; k < resource.length; k++) {
            resource[k] -= model.resource[k][flat];
        }
        for (int pair : model.pairsOf[b]) {
            if (switched[pair]) {
                addSwitch(-1);
                switched[pair] = false;
            }
        }
    }

    @Override
    public void afterVariableChanged(Object entity, String variableName) {
        BlockChoice choice = (BlockChoice) entity;
        int b = choice.getBlock();
        candidate[b] = choice.getCandidate();
        int flat = model.start[b] + candidate[b];
        objective += model.objective[flat];
        for (int k = 0; k < resource.length; k++) {
            resource[k] += model.resource[k][flat];
        }
        for (int pair : model.pairsOf[b]) {
            switched[pair] = model.id(pair, candidate) != model.id(pair + 1, candidate);
            if (switched[pair]) {
                addSwitch(1);
            }
        }
    }

    @Override
    public void beforeEntityRemoved(Object entity) {}

    @Override
    public void afterEntityRemoved(Object entity) {}

    @Override
    public HardSoftLongScore calculateScore() {
        long excess = 0;
        for (int k = 0; k < resource.length; k++) {
            excess += Math.max(0, resource[k] - model.caps[k]);
        }
        return HardSoftLongScore.of(-excess, -objective);
    }
}
