package dev.mpq.solver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The additive core of a {@link SearchProblem}: tied groups merged into blocks and pins applied.
 *
 * <p>A block is a set of groups joined by ties (transitively). Its candidates are the option ids
 * common to all its groups (restricted to the pinned id where a member is pinned), in the order of
 * the first member's options; a candidate's value for a metric is the sum over the members. Every
 * configuration that respects ties and pins is one candidate per block, so engines that solve the
 * block problem solve the original one. Blocks are ordered by their first member.
 */
public final class TieBlocks {

    private final SearchProblem problem;
    private final int[][] members;
    /** [block][candidate][member] = option index in that member's group. */
    private final int[][][] optionOf;

    private final String[][] candidateIds;
    /** [block][candidate][metric]. */
    private final double[][][] values;

    /**
     * singleMember[b] = the group of a block of one group whose candidates are exactly its options in
     * order (candidate index = option index), else -1.
     */
    private final int[] singleMember;

    private TieBlocks(SearchProblem problem, int[][] members, int[][][] optionOf, String[][] ids, double[][][] values) {
        this.problem = problem;
        this.members = members;
        this.optionOf = optionOf;
        this.candidateIds = ids;
        this.values = values;
        this.singleMember = new int[members.length];
        for (int b = 0; b < members.length; b++) {
            boolean identity = members[b].length == 1
                    && optionOf[b].length
                            == problem.groups().get(members[b][0]).options().size();
            for (int c = 0; identity && c < optionOf[b].length; c++) {
                identity = optionOf[b][c][0] == c;
            }
            singleMember[b] = identity ? members[b][0] : -1;
        }
    }

    /** Merges ties and applies pins; a tie or pin that leaves a block no candidate is invalid input. */
    public static TieBlocks of(SearchProblem problem) {
        Partition partition = partition(problem.groups(), problem.ties(), problem.pins());
        int[][] members = partition.members();
        String[][] ids = partition.candidateIds();
        int blocks = members.length;
        int[][][] optionOf = new int[blocks][][];
        double[][][] values = new double[blocks][][];
        int metrics = problem.metrics().size();
        for (int b = 0; b < blocks; b++) {
            optionOf[b] = new int[ids[b].length][members[b].length];
            values[b] = new double[ids[b].length][metrics];
            for (int c = 0; c < ids[b].length; c++) {
                for (int k = 0; k < members[b].length; k++) {
                    Group group = problem.groups().get(members[b][k]);
                    int o = group.indexOf(ids[b][c]);
                    optionOf[b][c][k] = o;
                    double[] v = group.options().get(o).values();
                    for (int m = 0; m < metrics; m++) {
                        values[b][c][m] += v[m];
                    }
                }
            }
        }
        return new TieBlocks(problem, members, optionOf, ids, values);
    }

    /** Blocks of tied groups (by first member) and their candidate ids. */
    record Partition(int[][] members, String[][] candidateIds) {}

    /**
     * Joins tied groups transitively and intersects their option ids (and pins). Throws {@link
     * InvalidProblemException} when a block is left without a common option.
     */
    static Partition partition(List<Group> groups, List<List<String>> ties, Map<String, String> pins) {
        int n = groups.size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(groups.get(i).name(), i);
        }
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (List<String> tie : ties) {
            for (String layer : tie.subList(1, tie.size())) {
                int a = find(parent, index.get(tie.get(0)));
                int b = find(parent, index.get(layer));
                parent[Math.max(a, b)] = Math.min(a, b);
            }
        }
        Map<Integer, List<Integer>> byRoot = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            byRoot.computeIfAbsent(find(parent, i), r -> new ArrayList<>()).add(i);
        }
        int[][] members = new int[byRoot.size()][];
        String[][] ids = new String[byRoot.size()][];
        int b = 0;
        for (List<Integer> block : byRoot.values()) {
            members[b] = block.stream().mapToInt(Integer::intValue).toArray();
            Set<String> common = new LinkedHashSet<>();
            groups.get(members[b][0]).options().forEach(o -> common.add(o.id()));
            String pinnedBy = null;
            for (int g : members[b]) {
                Group group = groups.get(g);
                common.removeIf(id -> group.indexOf(id) < 0);
                String pin = pins.get(group.name());
                if (pin != null) {
                    common.removeIf(id -> !id.equals(pin));
                    pinnedBy = group.name();
                }
            }
            if (common.isEmpty()) {
                List<String> names =
                        block.stream().map(g -> groups.get(g).name()).toList();
                throw new InvalidProblemException(
                        pinnedBy != null ? "pins." + pinnedBy : "ties",
                        pinnedBy != null
                                ? "Layers %s are tied, and their pins and options leave no common option; pin them to the same option or unpin them."
                                        .formatted(names)
                                : "Layers %s are tied (directly or through other ties) but share no option id; tied layers need a common option."
                                        .formatted(names));
            }
            ids[b] = common.toArray(String[]::new);
            b++;
        }
        return new Partition(members, ids);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    public SearchProblem problem() {
        return problem;
    }

    public int blockCount() {
        return members.length;
    }

    public int candidateCount(int block) {
        return candidateIds[block].length;
    }

    public String candidateId(int block, int candidate) {
        return candidateIds[block][candidate];
    }

    /** Value of a metric for a candidate: the sum over the block's members. */
    public double value(int block, int candidate, int metric) {
        return values[block][candidate][metric];
    }

    /** Group indices of a block, in document order. */
    public int[] members(int block) {
        return members[block].clone();
    }

    /** Option index, in the group of the block's {@code member}-th member, of a candidate. */
    public int optionIndex(int block, int candidate, int member) {
        return optionOf[block][candidate][member];
    }

    /** Smallest value of a metric reachable by a block. */
    public double minValue(int block, int metric) {
        double min = Double.POSITIVE_INFINITY;
        for (double[] candidate : values[block]) {
            min = Math.min(min, candidate[metric]);
        }
        return min;
    }

    /** Smallest total of a metric reachable alone (each block at its minimum). */
    public double minTotal(int metric) {
        double total = 0;
        for (int b = 0; b < members.length; b++) {
            total += minValue(b, metric);
        }
        return total;
    }

    /** Largest total of a metric (each block at its maximum). */
    public double maxTotal(int metric) {
        double total = 0;
        for (double[][] block : values) {
            double max = 0;
            for (double[] candidate : block) {
                max = Math.max(max, candidate[metric]);
            }
            total += max;
        }
        return total;
    }

    /** Expands a candidate per block into an option index per group of the original problem. */
    public int[] toChoices(int[] candidateOfBlock) {
        int[] choices = new int[problem.groups().size()];
        if (singleMember != null) {
            for (int b = 0; b < members.length; b++) {
                int g = singleMember[b];
                if (g >= 0) {
                    choices[g] = candidateOfBlock[b]; // candidates of a lone group: its own options (unpinned)
                    continue;
                }
                int c = candidateOfBlock[b];
                for (int k = 0; k < members[b].length; k++) {
                    choices[members[b][k]] = optionOf[b][c][k];
                }
            }
            return choices;
        }
        for (int b = 0; b < members.length; b++) {
            int c = candidateOfBlock[b];
            for (int k = 0; k < members[b].length; k++) {
                choices[members[b][k]] = optionOf[b][c][k];
            }
        }
        return choices;
    }
}
