package dev.mpq.solver.local;

import dev.mpq.solver.Group;
import dev.mpq.solver.SearchProblem;
import dev.mpq.solver.TieBlocks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The problem as integers for the score calculator and the moves: tie-block candidates stored flat,
 * the objective rounded and every budgeted resource rounded up (so a configuration with no budget
 * excess in integers meets its budgets in doubles), each scaled so its largest possible total is
 * 10^12; option ids of every group; the consecutive pairs of groups each block touches.
 */
final class ScaledModel {

    static final double RESOLUTION = 1e12;

    final TieBlocks blocks;
    final int blockCount;
    final int[] start;
    final long[] objective;
    /** resource[k][flat], caps[k]: the budgets, scaled. */
    final long[][] resource;

    final long[] caps;
    final long objectiveSwitch;
    final long[] resourceSwitch;
    final int groups;
    final int[] blockOfGroup;
    /** idOf[g][candidate of g's block]: the option id number group g takes. */
    final int[][] idOf;
    /** pairsOf[b]: the pairs (g, g+1), by g, whose switch depends on block b. */
    final int[][] pairsOf;
    /** candidateWithId[b][id]: the candidate of block b with that option id, or -1. */
    final int[][] candidateWithId;

    final int ids;
    /** Groups of each block (document order). */
    final int[][] members;

    ScaledModel(SearchProblem problem, TieBlocks blocks, int[] budgetMetrics, double[] budgets) {
        this.blocks = blocks;
        blockCount = blocks.blockCount();
        start = new int[blockCount + 1];
        for (int b = 0; b < blockCount; b++) {
            start[b + 1] = start[b] + blocks.candidateCount(b);
        }
        groups = problem.groups().size();
        int pairs = problem.hasTransitionCosts() ? groups - 1 : 0;
        int objectiveMetric = problem.minimizeIndex();
        double objectiveTransition = problem.transitionCosts().getOrDefault(problem.minimize(), 0.0);
        double objectiveFactor = factor(blocks.maxTotal(objectiveMetric) + pairs * objectiveTransition);
        objective = new long[start[blockCount]];
        resource = new long[budgetMetrics.length][start[blockCount]];
        caps = new long[budgetMetrics.length];
        resourceSwitch = new long[budgetMetrics.length];
        double[] resourceFactor = new double[budgetMetrics.length];
        for (int k = 0; k < budgetMetrics.length; k++) {
            double transition =
                    problem.transitionCosts().getOrDefault(problem.metrics().get(budgetMetrics[k]), 0.0);
            resourceFactor[k] = factor(Math.max(budgets[k], blocks.maxTotal(budgetMetrics[k]) + pairs * transition));
            caps[k] = (long) Math.floor(budgets[k] * resourceFactor[k]);
            resourceSwitch[k] = pairs == 0 ? 0 : (long) Math.ceil(transition * resourceFactor[k]);
        }
        for (int b = 0; b < blockCount; b++) {
            for (int c = 0; c < blocks.candidateCount(b); c++) {
                objective[start[b] + c] = Math.round(blocks.value(b, c, objectiveMetric) * objectiveFactor);
                for (int k = 0; k < budgetMetrics.length; k++) {
                    resource[k][start[b] + c] =
                            (long) Math.ceil(blocks.value(b, c, budgetMetrics[k]) * resourceFactor[k]);
                }
            }
        }
        objectiveSwitch = pairs == 0 ? 0 : Math.round(objectiveTransition * objectiveFactor);
        blockOfGroup = new int[groups];
        members = new int[blockCount][];
        int[] memberIndex = new int[groups];
        for (int b = 0; b < blockCount; b++) {
            members[b] = blocks.members(b);
            for (int k = 0; k < members[b].length; k++) {
                blockOfGroup[members[b][k]] = b;
                memberIndex[members[b][k]] = k;
            }
        }
        Map<String, Integer> idNumbers = new HashMap<>();
        idOf = new int[groups][];
        for (int g = 0; g < groups; g++) {
            int b = blockOfGroup[g];
            idOf[g] = new int[blocks.candidateCount(b)];
            for (int c = 0; c < idOf[g].length; c++) {
                idOf[g][c] = idNumbers.computeIfAbsent(blocks.candidateId(b, c), id -> idNumbers.size());
            }
        }
        ids = idNumbers.size();
        candidateWithId = new int[blockCount][ids];
        for (int b = 0; b < blockCount; b++) {
            java.util.Arrays.fill(candidateWithId[b], -1);
            for (int c = 0; c < blocks.candidateCount(b); c++) {
                candidateWithId[b][idNumbers.get(blocks.candidateId(b, c))] = c;
            }
        }
        pairsOf = new int[blockCount][];
        for (int b = 0; b < blockCount; b++) {
            Set<Integer> touched = new LinkedHashSet<>();
            if (pairs > 0) {
                for (int g : members[b]) {
                    if (g > 0) {
                        touched.add(g - 1);
                    }
                    if (g + 1 < groups) {
                        touched.add(g);
                    }
                }
            }
            pairsOf[b] = touched.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private static double factor(double maxTotal) {
        return maxTotal > 0 ? RESOLUTION / maxTotal : 1.0;
    }

    int candidates(int block) {
        return start[block + 1] - start[block];
    }

    /** The option id number group g takes when its block has candidate c. */
    int id(int g, int[] candidateOfBlock) {
        return idOf[g][candidateOfBlock[blockOfGroup[g]]];
    }

    /** Groups of the problem as a list (for names in messages). */
    static List<String> names(List<Group> groups) {
        List<String> names = new ArrayList<>();
        for (Group group : groups) {
            names.add(group.name());
        }
        return names;
    }
}
