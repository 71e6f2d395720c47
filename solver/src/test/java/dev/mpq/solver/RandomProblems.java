package dev.mpq.solver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random instances of up to 8 layers x 3 options with the features the engines must
 * respect: layers with different option sets, ties between them, pins, one or two budgets.
 */
final class RandomProblems {

    static final List<String> METRICS = List.of("penalty", "bytes", "latency");
    private static final List<String> IDS = List.of("int2", "int4", "int8", "fp8");

    private RandomProblems() {}

    /** Layers, options and metrics only. */
    static SearchProblem instance(long seed) {
        Random random = new Random(seed);
        int layers = 1 + random.nextInt(8);
        List<Group> groups = new ArrayList<>();
        for (int g = 0; g < layers; g++) {
            List<String> ids = new ArrayList<>(IDS);
            java.util.Collections.shuffle(ids, random);
            int count = 1 + random.nextInt(3);
            List<Option> options = new ArrayList<>();
            for (String id : ids.subList(0, count)) {
                double bits = Double.parseDouble(id.replaceAll("\\D", ""));
                double size = 1 + random.nextInt(100);
                // penalties fall with bits over orders of magnitude; some values repeat on purpose
                double penalty = random.nextInt(4) == 0 ? 1.0 : Math.pow(10, -bits / 2) * size * random.nextDouble();
                double bytes = size * bits;
                double latency = random.nextInt(5) == 0 ? 3.0 : size * (0.5 + random.nextDouble()) * bits / 4;
                options.add(new Option(id, new double[] {penalty, bytes, latency}));
            }
            groups.add(new Group("L" + g, options));
        }
        return SearchProblem.ofBudgets("random-" + seed, METRICS, groups, "penalty", Map.of());
    }

    /** The instance with random ties (only among layers sharing an id) and pins. */
    static SearchProblem withTiesAndPins(long seed) {
        SearchProblem base = instance(seed);
        Random random = new Random(seed * 31 + 7);
        List<List<String>> ties = new ArrayList<>();
        Map<String, String> pins = new LinkedHashMap<>();
        List<Group> groups = base.groups();
        for (int a = 0; a < groups.size(); a++) {
            for (int b = a + 1; b < groups.size(); b++) {
                if (random.nextInt(6) == 0 && sharesId(groups.get(a), groups.get(b))) {
                    ties.add(List.of(groups.get(a).name(), groups.get(b).name()));
                    if (!valid(groups, ties, pins)) {
                        ties.remove(ties.size() - 1); // chained ties without a common id: skip it
                    }
                    break;
                }
            }
        }
        if (random.nextInt(3) == 0) {
            Group g = groups.get(random.nextInt(groups.size()));
            pins.put(
                    g.name(),
                    g.options().get(random.nextInt(g.options().size())).id());
            if (!valid(groups, ties, pins)) {
                pins.clear(); // the pin contradicts a tie
            }
        }
        return new SearchProblem(
                base.name(), base.metrics(), groups, "penalty", Map.of(), ties, pins, Map.of(), List.of(), 10_000);
    }

    private static boolean valid(List<Group> groups, List<List<String>> ties, Map<String, String> pins) {
        try {
            TieBlocks.partition(groups, ties, pins);
            return true;
        } catch (InvalidProblemException e) {
            return false;
        }
    }

    private static boolean sharesId(Group a, Group b) {
        return a.options().stream().anyMatch(o -> b.indexOf(o.id()) >= 0);
    }

    /** A budget at a random fraction between the smallest and largest reachable totals (sometimes below). */
    static double budget(SearchProblem problem, String metric, Random random) {
        TieBlocks blocks = TieBlocks.of(problem);
        int m = problem.metricIndex(metric);
        double low = blocks.minTotal(m);
        double high = blocks.maxTotal(m);
        double r = random.nextDouble() * 1.2 - 0.1;
        return low + r * (high - low);
    }

    /** The instance with ties and pins and a transition cost on one or two metrics. */
    static SearchProblem withTransitions(long seed) {
        SearchProblem base = withTiesAndPins(seed);
        Random random = new Random(seed * 17 + 3);
        Map<String, Double> costs = new LinkedHashMap<>();
        costs.put("latency", 1 + random.nextInt(20) * 1.0);
        if (random.nextBoolean()) {
            costs.put("penalty", random.nextDouble());
        }
        return new SearchProblem(
                base.name(),
                base.metrics(),
                base.groups(),
                "penalty",
                Map.of(),
                base.ties(),
                base.pins(),
                costs,
                List.of(),
                10_000);
    }

    static SearchProblem withTransitions(SearchProblem problem, Map<String, Double> costs) {
        return new SearchProblem(
                problem.name(),
                problem.metrics(),
                problem.groups(),
                problem.minimize(),
                problem.budgets(),
                problem.ties(),
                problem.pins(),
                costs,
                problem.front(),
                problem.frontPoints());
    }
}
