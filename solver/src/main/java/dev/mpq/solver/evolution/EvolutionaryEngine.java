package dev.mpq.solver.evolution;

import dev.mpq.solver.Dominance;
import dev.mpq.solver.ExactFrontEngine;
import dev.mpq.solver.FeasibilityChecker;
import dev.mpq.solver.FrontPoint;
import dev.mpq.solver.ParetoFront;
import dev.mpq.solver.SearchEngine;
import dev.mpq.solver.SearchProblem;
import dev.mpq.solver.SolveOptions;
import dev.mpq.solver.SolveStatus;
import dev.mpq.solver.TieBlocks;
import dev.mpq.solver.lagrange.LagrangianRelaxation;
import io.jenetics.Genotype;
import io.jenetics.IntegerChromosome;
import io.jenetics.IntegerGene;
import io.jenetics.Mutator;
import io.jenetics.Optimize;
import io.jenetics.SinglePointCrossover;
import io.jenetics.UniformCrossover;
import io.jenetics.engine.Constraint;
import io.jenetics.engine.Engine;
import io.jenetics.engine.EvolutionResult;
import io.jenetics.engine.InvertibleCodec;
import io.jenetics.engine.Limits;
import io.jenetics.ext.moea.NSGA2Selector;
import io.jenetics.ext.moea.UFTournamentSelector;
import io.jenetics.ext.moea.Vec;
import io.jenetics.ext.moea.VecFactory;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code evolutionary}: NSGA-II (Jenetics 7.2) over (minimize, front metrics...), for three or more
 * objectives, transition costs, or a {@link BlackBoxObjective} that replaces the minimised metric.
 *
 * <p>Encoding: one integer gene per tie block (its candidate), so ties and pins always hold.
 * Budgets: every offspring is repaired (Lagrangian repair: least objective increase per unit of
 * violation removed) and a configuration still over a budget (transition costs the repair does not
 * see) is pushed behind every feasible one; only feasible configurations are returned. Seeding: the
 * exact-front budget points of the minimised metric against each front metric, and the optima of
 * weighted sums of all objectives (each block independently: exact for the additive part), all
 * repaired, fill the first population.
 *
 * <p>Selection: NSGA-II (non-dominated rank, then crowding distance) for parents and survivors;
 * uniform and single-point crossover, per-gene mutation. An archive keeps every feasible
 * configuration seen; the answer is its non-dominated set. Stats report the hypervolume against a
 * stated reference point: each objective's largest possible total (the configuration space's nadir
 * bound; for a black-box objective the largest value seen times 1.1), also normalised to the box
 * between each objective's smallest possible total and the reference.
 */
public final class EvolutionaryEngine implements SearchEngine {

    private final BlackBoxObjective blackBox;
    private final int generations;
    private final int population;

    public EvolutionaryEngine() {
        this(null, 400, 120);
    }

    /**
     * @param blackBox replaces the minimised metric, or null for the problem's additive metric
     * @param generations generations at most (the time limit may end the run earlier)
     * @param population population size
     */
    public EvolutionaryEngine(BlackBoxObjective blackBox, int generations, int population) {
        this.blackBox = blackBox;
        this.generations = generations;
        this.population = population;
    }

    @Override
    public String name() {
        return "evolutionary";
    }

    @Override
    public boolean exact() {
        return false;
    }

    @Override
    public String unsupportedReason(SearchProblem problem) {
        return null;
    }

    @Override
    public ParetoFront solve(SearchProblem problem, SolveOptions options) {
        requireSupported(problem);
        long start = System.nanoTime();
        Search search = new Search(problem, options);
        ExecutorService pool = options.threads() > 1
                ? Executors.newFixedThreadPool(options.threads(), r -> {
                    Thread thread = new Thread(r, "evolutionary");
                    thread.setDaemon(true);
                    return thread;
                })
                : null;
        try {
            List<int[]> seeds = search.seeds(new Random(options.seed()));
            RandomRegistry.using(new Random(options.seed() ^ 0x5DEECE66DL), random -> search.run(seeds, pool));
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("engine", name());
        stats.put("seed", options.seed());
        stats.put("generations", search.generationsRun);
        stats.put("evaluations", search.evaluations);
        stats.put("seeded", search.seeded);
        List<FrontPoint> points = search.front();
        stats.putAll(search.hypervolume(points));
        if (blackBox != null) {
            List<Double> values = new ArrayList<>();
            for (FrontPoint point : points) {
                values.add(search.archive.get(key(point.choices()))[0]);
            }
            stats.put("objective_values", values);
        }
        stats.put("seconds", (System.nanoTime() - start) / 1e9);
        if (points.isEmpty()) {
            return new ParetoFront(
                    SolveStatus.FEASIBLE,
                    List.of(),
                    List.of(),
                    "The evolutionary search found no configuration within the budgets; exact-front or ilp prove infeasibility.",
                    stats);
        }
        return ParetoFront.of(
                points,
                "%d non-dominated configurations from NSGA-II (no optimality proof); hypervolume %.6g of the reference box."
                        .formatted(points.size(), stats.get("hypervolume_normalized")),
                stats);
    }

    private static String key(int[] choices) {
        return Arrays.toString(choices);
    }

    /** One run: the problem's encoding, evaluation, repair, seeding and archive. */
    private final class Search {
        final SearchProblem problem;
        final SolveOptions options;
        final TieBlocks blocks;
        final FeasibilityChecker checker;
        final int[] objectives;
        final int[] budgetMetrics;
        final double[] budgets;
        final LagrangianRelaxation relaxation;
        final VecFactory<double[]> vectors;
        final int maxCandidates;
        /** Archive of feasible configurations: key -> objective vector (as optimised). */
        final Map<String, double[]> archive = new HashMap<>();

        final Map<String, int[]> archived = new HashMap<>();
        final double[] penalty;
        int generationsRun;
        long evaluations;
        int seeded;

        Search(SearchProblem problem, SolveOptions options) {
            this.problem = problem;
            this.options = options;
            blocks = TieBlocks.of(problem);
            checker = FeasibilityChecker.of(problem);
            objectives = new int[problem.front().size() + 1];
            objectives[0] = problem.minimizeIndex();
            for (int f = 0; f < problem.front().size(); f++) {
                objectives[f + 1] = problem.metricIndex(problem.front().get(f));
            }
            budgetMetrics = problem.budgets().keySet().stream()
                    .mapToInt(problem::metricIndex)
                    .toArray();
            budgets = problem.budgets().values().stream()
                    .mapToDouble(Double::doubleValue)
                    .toArray();
            relaxation = new LagrangianRelaxation(blocks, problem.minimizeIndex(), budgetMetrics);
            Optimize[] minimum = new Optimize[objectives.length];
            Arrays.fill(minimum, Optimize.MINIMUM);
            vectors = VecFactory.ofDoubleVec(minimum);
            int max = 1;
            for (int b = 0; b < blocks.blockCount(); b++) {
                max = Math.max(max, blocks.candidateCount(b));
            }
            maxCandidates = max;
            penalty = new double[objectives.length];
            for (int k = 0; k < objectives.length; k++) {
                penalty[k] = 10 * (blocks.maxTotal(objectives[k]) + switchCost(objectives[k]) + 1);
            }
        }

        double switchCost(int metric) {
            return problem.transitionCosts().getOrDefault(problem.metrics().get(metric), 0.0)
                    * Math.max(0, problem.groups().size() - 1);
        }

        int[] decode(Genotype<IntegerGene> genotype) {
            IntegerChromosome chromosome = genotype.chromosome().as(IntegerChromosome.class);
            int[] candidates = new int[blocks.blockCount()];
            for (int b = 0; b < candidates.length; b++) {
                candidates[b] = chromosome.get(b).intValue() % blocks.candidateCount(b);
            }
            return candidates;
        }

        Genotype<IntegerGene> encode(int[] candidates) {
            IntegerGene[] genes = new IntegerGene[candidates.length];
            for (int b = 0; b < candidates.length; b++) {
                genes[b] = IntegerGene.of(candidates[b], 0, maxCandidates);
            }
            return Genotype.of(IntegerChromosome.of(genes));
        }

        boolean feasible(double[] totals) {
            for (int k = 0; k < budgetMetrics.length; k++) {
                if (!FeasibilityChecker.withinBudget(totals[budgetMetrics[k]], budgets[k])) {
                    return false;
                }
            }
            return true;
        }

        boolean additiveFeasible(int[] candidates) {
            for (int k = 0; k < budgetMetrics.length; k++) {
                double total = 0;
                for (int b = 0; b < candidates.length; b++) {
                    total += blocks.value(b, candidates[b], budgetMetrics[k]);
                }
                if (total > budgets[k]) {
                    return false;
                }
            }
            return true;
        }

        int[] repair(int[] candidates) {
            if (budgetMetrics.length == 0) {
                return candidates;
            }
            int[] repaired = relaxation.repair(candidates, budgets);
            return repaired == null ? candidates : repaired;
        }

        /** The optimised vector; infeasible configurations are pushed behind every feasible one. */
        Vec<double[]> fitness(int[] candidates) {
            int[] choices = blocks.toChoices(candidates);
            double[] totals = checker.totals(choices);
            double[] vector = new double[objectives.length];
            for (int k = 0; k < objectives.length; k++) {
                vector[k] = totals[objectives[k]];
            }
            if (blackBox != null) {
                vector[0] = blackBox.evaluate(choices);
            }
            synchronized (this) {
                evaluations++;
                if (feasible(totals)) {
                    String key = key(choices);
                    if (!archive.containsKey(key)) {
                        archive.put(key, vector.clone());
                        archived.put(key, choices);
                    }
                    return vectors.newVec(vector);
                }
            }
            double[] pushed = vector.clone();
            for (int k = 0; k < pushed.length; k++) {
                pushed[k] += penalty[k];
            }
            return vectors.newVec(pushed);
        }

        /** Exact-front budget points per front metric and weighted-sum optima, all repaired. */
        List<int[]> seeds(Random random) {
            List<int[]> seeds = new ArrayList<>();
            if (!problem.hasTransitionCosts()) {
                for (int f = 1; f < objectives.length; f++) {
                    String metric = problem.metrics().get(objectives[f]);
                    SearchProblem one = new SearchProblem(
                            problem.name(),
                            problem.metrics(),
                            problem.groups(),
                            problem.minimize(),
                            problem.budgets().containsKey(metric)
                                    ? Map.of(metric, problem.budgets().get(metric))
                                    : Map.of(),
                            problem.ties(),
                            problem.pins(),
                            Map.of(),
                            List.of(metric),
                            Math.max(2, population / (2 * (objectives.length - 1))));
                    ParetoFront exact = new ExactFrontEngine().solve(one, options);
                    for (FrontPoint point : exact.points()) {
                        seeds.add(repair(toCandidates(point.choices())));
                    }
                }
            }
            int weighted = Math.max(population / 2, population - seeds.size());
            double[] range = new double[objectives.length];
            for (int k = 0; k < objectives.length; k++) {
                range[k] = Math.max(1e-300, blocks.maxTotal(objectives[k]) - blocks.minTotal(objectives[k]));
            }
            for (int i = 0; i < weighted; i++) {
                double[] w = new double[objectives.length];
                double sum = 0;
                for (int k = 0; k < w.length; k++) {
                    w[k] = -Math.log(1 - random.nextDouble());
                    sum += w[k];
                }
                int[] candidates = new int[blocks.blockCount()];
                for (int b = 0; b < candidates.length; b++) {
                    double best = Double.POSITIVE_INFINITY;
                    for (int c = 0; c < blocks.candidateCount(b); c++) {
                        double value = 0;
                        for (int k = 0; k < w.length; k++) {
                            value += w[k] / sum * blocks.value(b, c, objectives[k]) / range[k];
                        }
                        if (value < best) {
                            best = value;
                            candidates[b] = c;
                        }
                    }
                }
                seeds.add(repair(candidates));
            }
            seeded = seeds.size();
            return seeds;
        }

        int[] toCandidates(int[] choices) {
            int[] candidates = new int[blocks.blockCount()];
            for (int b = 0; b < candidates.length; b++) {
                int g = blocks.members(b)[0];
                String id = problem.groups().get(g).options().get(choices[g]).id();
                for (int c = 0; c < blocks.candidateCount(b); c++) {
                    if (blocks.candidateId(b, c).equals(id)) {
                        candidates[b] = c;
                    }
                }
            }
            return candidates;
        }

        void run(List<int[]> seeds, ExecutorService pool) {
            InvertibleCodec<int[], IntegerGene> codec =
                    InvertibleCodec.of(() -> encode(randomCandidates()), this::decode, this::encode);
            Constraint<IntegerGene, Vec<double[]>> constraint =
                    Constraint.of(codec, this::additiveFeasible, this::repair);
            Engine.Builder<IntegerGene, Vec<double[]>> builder = Engine.builder(this::fitness, codec)
                    .populationSize(population)
                    .constraint(constraint)
                    .alterers(
                            new UniformCrossover<>(0.3, 0.5),
                            new SinglePointCrossover<>(0.3),
                            new Mutator<>(Math.min(0.5, 2.0 / Math.max(1, blocks.blockCount()))))
                    // directions live in the vectors (VecFactory MINIMUM); the engine keeps its default
                    .offspringSelector(UFTournamentSelector.ofVec())
                    .survivorsSelector(NSGA2Selector.ofVec());
            if (pool != null) {
                builder.executor(pool);
            } else {
                builder.executor(Runnable::run);
            }
            Engine<IntegerGene, Vec<double[]>> engine = builder.build();
            List<Genotype<IntegerGene>> initial = new ArrayList<>();
            for (int[] seed : seeds) {
                if (initial.size() < population) {
                    initial.add(encode(seed));
                }
            }
            EvolutionResult<IntegerGene, Vec<double[]>> last = engine.stream(ISeq.of(initial))
                    .limit(Limits.byFixedGeneration(generations))
                    .limit(Limits.byExecutionTime(options.timeLimit()))
                    .reduce((a, b) -> b)
                    .orElse(null);
            generationsRun = last == null ? 0 : (int) last.generation();
        }

        int[] randomCandidates() {
            var random = RandomRegistry.random();
            int[] candidates = new int[blocks.blockCount()];
            for (int b = 0; b < candidates.length; b++) {
                candidates[b] = random.nextInt(blocks.candidateCount(b));
            }
            return repair(candidates);
        }

        /** The non-dominated archive as front points (gap null: no proof). */
        List<FrontPoint> front() {
            List<FrontPoint> points = new ArrayList<>();
            for (int[] choices : archived.values()) {
                points.add(new FrontPoint(choices, checker.totals(choices), null));
            }
            if (blackBox == null) {
                int[] fronts = Arrays.copyOfRange(objectives, 1, objectives.length);
                return Dominance.nonDominated(points, objectives[0], fronts);
            }
            // with a black-box objective, dominance is over (black-box value, front metrics...)
            List<FrontPoint> kept = new ArrayList<>();
            for (FrontPoint candidate : points) {
                double[] a = archive.get(key(candidate.choices()));
                boolean dominated = false;
                for (FrontPoint other : points) {
                    double[] b = archive.get(key(other.choices()));
                    if (other != candidate && dominatesVector(b, a)) {
                        dominated = true;
                        break;
                    }
                }
                if (!dominated) {
                    kept.add(candidate);
                }
            }
            return kept;
        }

        boolean dominatesVector(double[] a, double[] b) {
            boolean better = false;
            for (int k = 0; k < a.length; k++) {
                if (a[k] > b[k]) {
                    return false;
                }
                better |= a[k] < b[k];
            }
            return better;
        }

        /** Hypervolume against the stated reference point, raw and normalised. */
        Map<String, Object> hypervolume(List<FrontPoint> points) {
            double[] reference = new double[objectives.length];
            double[] ideal = new double[objectives.length];
            for (int k = 0; k < objectives.length; k++) {
                reference[k] = blocks.maxTotal(objectives[k]) + switchCost(objectives[k]);
                ideal[k] = blocks.minTotal(objectives[k]);
            }
            if (blackBox != null) {
                double worst = 0;
                double best = Double.POSITIVE_INFINITY;
                for (double[] vector : archive.values()) {
                    worst = Math.max(worst, vector[0]);
                    best = Math.min(best, vector[0]);
                }
                reference[0] = worst * 1.1;
                ideal[0] = Math.min(best, 0);
            }
            List<double[]> raw = new ArrayList<>();
            List<double[]> normalised = new ArrayList<>();
            for (FrontPoint point : points) {
                double[] vector = archive.get(key(point.choices()));
                raw.add(vector);
                double[] scaled = new double[vector.length];
                for (int k = 0; k < vector.length; k++) {
                    double span = reference[k] - ideal[k];
                    scaled[k] = span > 0 ? (vector[k] - ideal[k]) / span : 0;
                }
                normalised.add(scaled);
            }
            double[] unit = new double[objectives.length];
            Arrays.fill(unit, 1.0);
            Map<String, Object> stats = new LinkedHashMap<>();
            Map<String, Double> referencePoint = new LinkedHashMap<>();
            for (int k = 0; k < objectives.length; k++) {
                referencePoint.put(
                        k == 0 && blackBox != null
                                ? "black_box"
                                : problem.metrics().get(objectives[k]),
                        reference[k]);
            }
            stats.put("hypervolume_reference", referencePoint);
            stats.put("hypervolume", Dominance.hypervolume(raw, reference));
            stats.put("hypervolume_normalized", Dominance.hypervolume(normalised, unit));
            return stats;
        }
    }
}
