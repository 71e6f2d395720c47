package dev.mpq.solver.local;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.selector.move.factory.MoveIteratorFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The moves of the local search, drawn at random (Timefold's seeded {@link Random}):
 *
 * <ul>
 *   <li><b>change</b> (30 %): one block to another candidate;
 *   <li><b>pair</b> (40 %): two blocks at once, the second moving the first budget's resource the
 *       other way, so a budget-tight configuration can trade resource between blocks in one step;
 *   <li><b>run</b> (30 %): a stretch of 2..24 consecutive layers all set to one option id (the id of
 *       the stretch's first or last layer, or a random one), which removes format switches that
 *       single changes can only remove at a loss.
 * </ul>
 */
public class RandomMoves implements MoveIteratorFactory<Configuration, AssignMove> {

    @Override
    public long getSize(ScoreDirector<Configuration> scoreDirector) {
        Configuration solution = scoreDirector.getWorkingSolution();
        long blocks = solution.getChoices().size();
        return blocks * blocks;
    }

    @Override
    public Iterator<AssignMove> createOriginalMoveIterator(ScoreDirector<Configuration> scoreDirector) {
        throw new UnsupportedOperationException("The local search draws its moves at random only.");
    }

    @Override
    public Iterator<AssignMove> createRandomMoveIterator(ScoreDirector<Configuration> scoreDirector, Random random) {
        Configuration solution = scoreDirector.getWorkingSolution();
        ScaledModel model = solution.model();
        List<BlockChoice> choices = solution.getChoices();
        List<Integer> movable = new ArrayList<>();
        for (BlockChoice choice : choices) {
            if (model.candidates(choice.getBlock()) > 1) {
                movable.add(choice.getBlock());
            }
        }
        BlockChoice[] byBlock = new BlockChoice[choices.size()];
        for (BlockChoice choice : choices) {
            byBlock[choice.getBlock()] = choice;
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !movable.isEmpty();
            }

            @Override
            public AssignMove next() {
                int kind = random.nextInt(10);
                if (kind < 3) {
                    return change(random.nextInt(movable.size()));
                }
                if (kind < 7) {
                    return pair();
                }
                return run();
            }

            private int other(int block) {
                int current = byBlock[block].getCandidate();
                int value = random.nextInt(model.candidates(block) - 1);
                return value >= current ? value + 1 : value;
            }

            private AssignMove change(int index) {
                int block = movable.get(index);
                return new AssignMove(List.of(byBlock[block]), new int[] {other(block)});
            }

            private AssignMove pair() {
                int first = movable.get(random.nextInt(movable.size()));
                int second = movable.get(random.nextInt(movable.size()));
                if (first == second || movable.size() < 2) {
                    return change(random.nextInt(movable.size()));
                }
                int firstValue = other(first);
                int secondValue = other(second);
                if (model.caps.length > 0) {
                    long[] r = model.resource[0];
                    long delta =
                            r[model.start[first] + firstValue] - r[model.start[first] + byBlock[first].getCandidate()];
                    int current = byBlock[second].getCandidate();
                    List<Integer> opposite = new ArrayList<>();
                    for (int c = 0; c < model.candidates(second); c++) {
                        long d = r[model.start[second] + c] - r[model.start[second] + current];
                        if (c != current && (delta > 0 ? d < 0 : d > 0)) {
                            opposite.add(c);
                        }
                    }
                    if (!opposite.isEmpty()) {
                        secondValue = opposite.get(random.nextInt(opposite.size()));
                    }
                }
                return new AssignMove(List.of(byBlock[first], byBlock[second]), new int[] {firstValue, secondValue});
            }

            private AssignMove run() {
                int length = 2 + random.nextInt(23);
                int from = random.nextInt(model.groups);
                int to = Math.min(model.groups, from + length);
                int[] current = new int[byBlock.length];
                for (int b = 0; b < byBlock.length; b++) {
                    current[b] = byBlock[b].getCandidate();
                }
                int pick = random.nextInt(3);
                int id = pick == 0
                        ? model.id(from, current)
                        : pick == 1 ? model.id(to - 1, current) : random.nextInt(model.ids);
                Map<Integer, Integer> assignment = new LinkedHashMap<>();
                for (int g = from; g < to; g++) {
                    int block = model.blockOfGroup[g];
                    int candidate = model.candidateWithId[block][id];
                    if (candidate >= 0 && model.candidates(block) > 1) {
                        assignment.putIfAbsent(block, candidate);
                    }
                }
                if (assignment.isEmpty()) {
                    return change(random.nextInt(movable.size()));
                }
                if (model.caps.length > 0 && random.nextBoolean()) {
                    balance(assignment, current);
                }
                List<BlockChoice> entities = new ArrayList<>();
                int[] values = new int[assignment.size()];
                int i = 0;
                for (Map.Entry<Integer, Integer> entry : assignment.entrySet()) {
                    entities.add(byBlock[entry.getKey()]);
                    values[i++] = entry.getValue();
                }
                return new AssignMove(entities, values);
            }

            /**
             * Compensates the first budget's resource change of an assignment with up to four random
             * blocks outside it, each moved the other way (cheapest objective change per unit).
             */
            private void balance(Map<Integer, Integer> assignment, int[] current) {
                long[] r = model.resource[0];
                long delta = 0;
                for (Map.Entry<Integer, Integer> entry : assignment.entrySet()) {
                    int b = entry.getKey();
                    delta += r[model.start[b] + entry.getValue()] - r[model.start[b] + current[b]];
                }
                for (int tries = 0; tries < 12 && delta != 0 && assignment.size() < 64; tries++) {
                    int b = movable.get(random.nextInt(movable.size()));
                    if (assignment.containsKey(b)) {
                        continue;
                    }
                    int best = -1;
                    double bestRatio = Double.POSITIVE_INFINITY;
                    long bestShift = 0;
                    for (int c = 0; c < model.candidates(b); c++) {
                        long shift = r[model.start[b] + c] - r[model.start[b] + current[b]];
                        if (c == current[b] || (delta > 0 ? shift >= 0 : shift <= 0)) {
                            continue;
                        }
                        double cost =
                                model.objective[model.start[b] + c] - model.objective[model.start[b] + current[b]];
                        double ratio = cost / Math.abs((double) shift);
                        if (ratio < bestRatio) {
                            bestRatio = ratio;
                            best = c;
                            bestShift = shift;
                        }
                    }
                    if (best >= 0) {
                        assignment.put(b, best);
                        delta += bestShift;
                        if (delta > 0 != (delta - bestShift > 0)) {
                            break; // crossed zero
                        }
                    }
                }
            }
        };
    }
}
