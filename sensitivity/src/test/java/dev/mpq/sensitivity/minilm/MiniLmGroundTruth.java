package dev.mpq.sensitivity.minilm;

import dev.mpq.sensitivity.onnx.OnnxLayer;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The fixed ground-truth configurations of all-MiniLM-L6-v2, identical across versions: for seed s
 * in 1..50, {@code new java.util.Random(s)} draws, for the 36 MatMul layers in graph order (layer.0
 * query, key, value, attention output, intermediate, output; then layer.1 ...), {@code
 * FORMATS.get(random.nextInt(6))}.
 */
public final class MiniLmGroundTruth {

    public static final List<String> FORMATS = List.of("int3-g128", "int4-g128", "int8", "fp8-e4m3", "nvfp4", "mxfp4");

    private MiniLmGroundTruth() {}

    /** Layer name -> format id for one seed. */
    public static Map<String, String> configuration(OnnxNetwork network, long seed) {
        Random random = new Random(seed);
        Map<String, String> choice = new LinkedHashMap<>();
        for (OnnxLayer layer : network.layers()) {
            choice.put(layer.name(), FORMATS.get(random.nextInt(FORMATS.size())));
        }
        return choice;
    }
}
