package dev.mpq.sensitivity.minilm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.core.FormatCatalog;
import dev.mpq.sensitivity.calibration.CalibrationSample;
import dev.mpq.sensitivity.calibration.CalibrationSets;
import dev.mpq.sensitivity.calibration.WordPieceTokenizer;
import dev.mpq.sensitivity.format.Quantizer;
import dev.mpq.sensitivity.onnx.OnnxLayer;
import dev.mpq.sensitivity.onnx.OnnxModelEditor;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import dev.mpq.sensitivity.onnx.WeightMatrix;
import dev.mpq.sensitivity.runtime.NetworkErrorMeter;
import dev.mpq.sensitivity.runtime.OutputMetric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On MiniLM, int8 activations (fake-quantized in a rewritten model) add output error to int8
 * weights; a rewrite that quantizes nothing measures exactly 0.
 */
class MiniLmQuantizedActivationsIT {

    @TempDir
    Path dir;

    @Test
    void int8ActivationsAddErrorToInt8WeightsAndAnUnquantizedRewriteMeasuresZero() throws Exception {
        OnnxNetwork net = OnnxNetwork.read(MiniLm.floatModel());
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromJson(Files.readString(MiniLm.tokenizer()));
        List<CalibrationSample> samples = CalibrationSets.fromTexts(MiniLm.sentences(), tokenizer, net.model());
        Map<String, float[]> weights = new LinkedHashMap<>();
        Map<OnnxLayer, Integer> int8 = new LinkedHashMap<>();
        Map<OnnxLayer, Integer> int4 = new LinkedHashMap<>();
        for (OnnxLayer layer : net.layers()) {
            WeightMatrix m = layer.matrix(net.model());
            float[] q = new float[m.data().length];
            Quantizer.of(FormatCatalog.byId("int8")).fakeQuantize(m.data(), m.rows(), m.cols(), q);
            weights.put(layer.weight().name(), layer.toStored(new WeightMatrix(q, m.rows(), m.cols())));
            int8.put(layer, 8);
            int4.put(layer, 4);
        }
        Path activations8 = OnnxModelEditor.withQuantizedActivations(net.model(), int8, dir.resolve("a8.onnx"));
        Path activations4 = OnnxModelEditor.withQuantizedActivations(net.model(), int4, dir.resolve("a4.onnx"));
        Path none = OnnxModelEditor.withQuantizedActivations(net.model(), Map.of(), dir.resolve("none.onnx"));
        try (NetworkErrorMeter meter = new NetworkErrorMeter(net.model(), samples, OutputMetric.MSE, true, 2)) {
            double weightsOnly = meter.measure(weights);
            double both = meter.measure(activations8, weights);
            double activationsOnly = meter.measure(activations8, Map.of());
            double int4Activations = meter.measure(activations4, weights);
            double nothing = meter.measure(none, Map.of());
            System.out.printf(
                    "MiniLM (%d layers, 32 sentences) output MSE: int8 weights %.6e; int8:int8 %.6e;"
                            + " int8 activations only %.6e; int8 weights + int4 activations %.6e; unquantized rewrite %.1e%n",
                    int8.size(), weightsOnly, both, activationsOnly, int4Activations, nothing);
            assertThat(weightsOnly).isPositive();
            assertThat(activationsOnly).isPositive();
            assertThat(both).isGreaterThan(weightsOnly);
            assertThat(int4Activations).isGreaterThan(both);
            assertThat(nothing).isZero();
        }
    }
}
