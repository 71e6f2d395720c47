package dev.mpq.solver.bench;

import dev.mpq.solver.Group;
import dev.mpq.solver.Option;
import dev.mpq.solver.SearchProblem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The instances of the solver benchmark, generated from fixed seeds with a realistic structure (the
 * distributions are documented in solver/README.md). Every option has the metrics {@code penalty},
 * {@code bytes}, {@code latency} (and {@code bops} for HAWQ):
 *
 * <ul>
 *   <li>penalty = sensitivity x parameters x err(format) x noise, where sensitivity is log-uniform
 *       over four decades, err(format) = 4^-bits x a per-format factor, noise log-normal (sigma 0.25):
 *       penalties span many orders of magnitude and fall with bits;
 *   <li>bytes = parameters x effective bits / 8 (scales included);
 *   <li>latency = bytes / bandwidth x kernel factor (odd widths and block formats cost more to
 *       dequantize) + a launch overhead: rising with bits.
 * </ul>
 *
 * Ties join layers that a kernel fuses (q/k/v, gate/up); a few layers are pinned.
 */
public final class BenchInstances {

    public static final List<String> METRICS = List.of("penalty", "bytes", "latency");

    /** A format: id, element bits (for the 4^-bits error), effective bits, error and kernel factors. */
    record Format(String id, double bits, double effectiveBits, double errorFactor, double kernelFactor) {}

    static final List<Format> LLM_FORMATS = List.of(
            new Format("int2-g128", 2, 2.125, 1.0, 1.3),
            new Format("int3-g128", 3, 3.125, 1.0, 1.4),
            new Format("int4-g128", 4, 4.125, 1.0, 1.0),
            new Format("mxfp4", 4, 4.25, 1.6, 1.05),
            new Format("nvfp4", 4, 4.5, 0.8, 1.1),
            new Format("int5-g128", 5, 5.125, 1.0, 1.3),
            new Format("int6-g128", 6, 6.125, 1.0, 1.2),
            new Format("int8", 8, 8.0, 1.2, 1.0),
            new Format("fp8-e4m3", 8, 8.0, 2.0, 0.9),
            new Format("bf16", 16, 16.0, 1.0, 1.0));

    static final List<Format> MOE_FORMATS = List.of(
            new Format("int2-g128", 2, 2.125, 1.0, 1.3),
            new Format("int3-g128", 3, 3.125, 1.0, 1.4),
            new Format("int4-g128", 4, 4.125, 1.0, 1.0),
            new Format("nvfp4", 4, 4.5, 0.8, 1.1),
            new Format("int6-g128", 6, 6.125, 1.0, 1.2),
            new Format("int8", 8, 8.0, 1.2, 1.0));

    static final List<Format> DIFFUSION_FORMATS = List.of(
            new Format("int4", 4, 4.0, 1.0, 1.0),
            new Format("int6", 6, 6.0, 1.0, 1.15),
            new Format("int8", 8, 8.0, 1.0, 1.0));

    /** Bytes per second of the modelled device (HBM-class) and the launch overhead in seconds. */
    static final double BANDWIDTH = 2.0e12;

    static final double LAUNCH = 4e-6;

    private BenchInstances() {}

    private static Option option(Format format, double parameters, double sensitivity, SplittableRandom random) {
        double noise = Math.exp(0.25 * gaussian(random));
        double penalty = format.bits() >= 16
                ? 0.0
                : sensitivity * parameters * Math.pow(4, -format.bits()) * format.errorFactor() * noise;
        double bytes = parameters * format.effectiveBits() / 8;
        double latency = bytes / BANDWIDTH * format.kernelFactor() + LAUNCH;
        return new Option(format.id(), new double[] {penalty, bytes, latency});
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static double logUniform(SplittableRandom random, double low, double high) {
        return Math.exp(Math.log(low) + random.nextDouble() * (Math.log(high) - Math.log(low)));
    }

    /**
     * 560 x 10: the linear layers of a 70B dense LLM (80 blocks of q, k, v, o, gate, up, down; hidden
     * 8192, 8 KV heads of 128, FFN 28672); q/k/v tied, gate/up tied, the first and last down
     * projections pinned to int8. Front: penalty against bytes.
     */
    public static SearchProblem llm560x10(int frontPoints) {
        SplittableRandom random = new SplittableRandom(560_10);
        String[] names = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
        double[] params = {
            8192.0 * 8192, 8192.0 * 1024, 8192.0 * 1024, 8192.0 * 8192, 8192.0 * 28672, 8192.0 * 28672, 28672.0 * 8192
        };
        List<Group> groups = new ArrayList<>();
        List<List<String>> ties = new ArrayList<>();
        for (int block = 0; block < 80; block++) {
            double depth = block == 0 || block == 79 ? 30 : 1; // first and last blocks are sensitive
            for (int m = 0; m < names.length; m++) {
                String name = "layers.%d.%s".formatted(block, names[m]);
                double sensitivity = depth * logUniform(random, 1e-3, 10);
                List<Option> options = new ArrayList<>();
                for (Format format : LLM_FORMATS) {
                    options.add(option(format, params[m], sensitivity, random));
                }
                groups.add(new Group(name, options));
            }
            ties.add(List.of(
                    "layers.%d.q_proj".formatted(block),
                    "layers.%d.k_proj".formatted(block),
                    "layers.%d.v_proj".formatted(block)));
            ties.add(List.of("layers.%d.gate_proj".formatted(block), "layers.%d.up_proj".formatted(block)));
        }
        Map<String, String> pins = Map.of("layers.0.down_proj", "int8", "layers.79.down_proj", "int8");
        return new SearchProblem(
                "llm-560x10",
                METRICS,
                groups,
                "penalty",
                Map.of(),
                ties,
                pins,
                Map.of(),
                List.of("bytes"),
                frontPoints);
    }

    /**
     * 46,000 x 6: expert matrices of a 61-block MoE with 256 experts (gate, up, down of 7168 x 2048;
     * exactly 46,000 of them); gate/up tied; sensitivity log-uniform over four decades times a
     * routing frequency (Zipf-like over the experts of a block); the first three matrices pinned to
     * int8. Front: penalty against bytes.
     */
    public static SearchProblem moe46000x6(int frontPoints) {
        return moe(46_000, frontPoints);
    }

    /** The first {@code layers} expert matrices of {@link #moe46000x6} (the same generator). */
    public static SearchProblem moe(int layers, int frontPoints) {
        SplittableRandom random = new SplittableRandom(46_000_6);
        String[] names = {"gate", "up", "down"};
        double parameters = 7168.0 * 2048;
        List<Group> groups = new ArrayList<>(46_000);
        List<List<String>> ties = new ArrayList<>();
        int count = 0;
        outer:
        for (int block = 0; block < 61; block++) {
            for (int expert = 0; expert < 256; expert++) {
                double routing = 1.0 / Math.pow(1 + random.nextInt(256), 0.8);
                for (String matrix : names) {
                    if (count == layers) {
                        break outer;
                    }
                    double sensitivity = routing * logUniform(random, 1e-2, 1e2);
                    List<Option> options = new ArrayList<>();
                    for (Format format : MOE_FORMATS) {
                        options.add(option(format, parameters, sensitivity, random));
                    }
                    groups.add(new Group("blocks.%d.experts.%d.%s".formatted(block, expert, matrix), options));
                    count++;
                }
                if (count % 3 == 0) {
                    ties.add(List.of(
                            "blocks.%d.experts.%d.gate".formatted(block, expert),
                            "blocks.%d.experts.%d.up".formatted(block, expert)));
                }
            }
        }
        Map<String, String> pins = new LinkedHashMap<>();
        for (int g = 0; g < 3; g++) {
            pins.put(groups.get(g).name(), "int8");
        }
        return new SearchProblem(
                "moe-46000x6",
                METRICS,
                groups,
                "penalty",
                Map.of(),
                ties,
                pins,
                Map.of(),
                List.of("bytes"),
                frontPoints);
    }

    /**
     * 800 x 3: a diffusion model at MixDQ scale (conv and linear layers of 10^4..10^7 parameters,
     * int4 / int6 / int8 weights); the budget is average bits per weight, i.e. bytes. Every fourth
     * layer pair (attention q/k) is tied, the first and last layers are pinned to int8. Front:
     * penalty against bytes (average bits 4..8).
     */
    public static SearchProblem diffusion800x3(int frontPoints) {
        SplittableRandom random = new SplittableRandom(800_3);
        List<Group> groups = new ArrayList<>();
        List<List<String>> ties = new ArrayList<>();
        for (int layer = 0; layer < 800; layer++) {
            double parameters = Math.rint(logUniform(random, 1e4, 1e7));
            double sensitivity = logUniform(random, 1e-3, 10);
            List<Option> options = new ArrayList<>();
            for (Format format : DIFFUSION_FORMATS) {
                options.add(option(format, parameters, sensitivity, random));
            }
            groups.add(new Group("layer%03d".formatted(layer), options));
            if (layer % 8 == 1) {
                ties.add(List.of("layer%03d".formatted(layer - 1), "layer%03d".formatted(layer)));
            }
        }
        Map<String, String> pins = Map.of("layer000", "int8", "layer799", "int8");
        return new SearchProblem(
                "diffusion-800x3",
                METRICS,
                groups,
                "penalty",
                Map.of(),
                ties,
                pins,
                Map.of(),
                List.of("bytes"),
                frontPoints);
    }

    /** Total parameters of a problem built by {@link #diffusion800x3} (bytes of int8 = parameters). */
    public static double parameters(SearchProblem problem) {
        double total = 0;
        for (Group group : problem.groups()) {
            total += group.options().get(group.indexOf("int8")).value(1);
        }
        return total;
    }

    /**
     * The 800 x 3 problem with a format-switch cost: at most {@code averageBits} bits per weight on
     * average (a bytes budget), and {@code switchPenalty} added to the penalty for every pair of
     * consecutive layers whose formats differ (re-quantizing activations between formats costs
     * accuracy), which makes the problem non-additive.
     */
    public static SearchProblem diffusion800x3WithTransitions(double averageBits, double switchPenalty) {
        SearchProblem base = diffusion800x3(1);
        return new SearchProblem(
                "diffusion-800x3-switch",
                METRICS,
                base.groups(),
                "penalty",
                Map.of("bytes", parameters(base) * averageBits / 8),
                base.ties(),
                base.pins(),
                Map.of("penalty", switchPenalty),
                List.of(),
                1);
    }

    /** The median over layers of the penalty step from int6 to int8 (a scale for switch costs). */
    public static double medianStep(SearchProblem problem) {
        double[] steps = new double[problem.groups().size()];
        for (int g = 0; g < steps.length; g++) {
            Group group = problem.groups().get(g);
            steps[g] = group.options().get(group.indexOf("int6")).value(0)
                    - group.options().get(group.indexOf("int8")).value(0);
        }
        java.util.Arrays.sort(steps);
        return steps[steps.length / 2];
    }

    /** HAWQ-V3 ResNet50 (52 x 2) from {@code <data>/hawq/resnet50_ilp_inputs.csv}; no front set. */
    public static SearchProblem hawq(Path dataDirectory, String model) throws IOException {
        return HawqProblems.read(dataDirectory.resolve("hawq").resolve(model + "_ilp_inputs.csv"), model);
    }
}
