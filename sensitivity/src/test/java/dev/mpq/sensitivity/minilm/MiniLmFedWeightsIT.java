package dev.mpq.sensitivity.minilm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mpq.core.FormatCatalog;
import dev.mpq.sensitivity.calibration.CalibrationSample;
import dev.mpq.sensitivity.calibration.CalibrationSets;
import dev.mpq.sensitivity.calibration.WordPieceTokenizer;
import dev.mpq.sensitivity.format.Quantizer;
import dev.mpq.sensitivity.onnx.OnnxLayer;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import dev.mpq.sensitivity.onnx.WeightMatrix;
import dev.mpq.sensitivity.runtime.NetworkErrorMeter;
import dev.mpq.sensitivity.runtime.OutputMetric;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On MiniLM, feeding weights as inputs of one session measures the same error as addInitializer
 * overrides (a session per measurement); prints the time of both.
 */
class MiniLmFedWeightsIT {

    @Test
    void fedWeightsMeasureTheSameErrorAsOverrides() throws Exception {
        OnnxNetwork net = OnnxNetwork.read(MiniLm.floatModel());
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromJson(Files.readString(MiniLm.tokenizer()));
        List<CalibrationSample> samples = CalibrationSets.fromTexts(MiniLm.sentences(), tokenizer, net.model());
        Map<String, String> config = MiniLmGroundTruth.configuration(net, 1);
        Map<String, float[]> all = new LinkedHashMap<>();
        for (OnnxLayer layer : net.layers()) {
            WeightMatrix m = layer.matrix(net.model());
            float[] q = new float[m.data().length];
            Quantizer.of(FormatCatalog.byId(config.get(layer.name()))).fakeQuantize(m.data(), m.rows(), m.cols(), q);
            all.put(layer.weight().name(), layer.toStored(new WeightMatrix(q, m.rows(), m.cols())));
        }
        List<Map<String, float[]>> singles = all.entrySet().stream()
                .limit(6)
                .map(e -> Map.of(e.getKey(), e.getValue()))
                .toList();
        try (NetworkErrorMeter overrides = new NetworkErrorMeter(net.model(), samples, OutputMetric.MSE, true, 2);
                NetworkErrorMeter fed = new NetworkErrorMeter(net.model(), samples, OutputMetric.MSE, true, 2, true)) {
            double a = overrides.measure(all);
            double b = fed.measure(all);
            assertThat(b).isCloseTo(a, within(1e-4 * a));
            long t0 = System.nanoTime();
            double[] x = singles.stream().mapToDouble(overrides::measure).toArray();
            long t1 = System.nanoTime();
            double[] y = singles.stream().mapToDouble(fed::measure).toArray();
            long t2 = System.nanoTime();
            for (int i = 0; i < x.length; i++) {
                assertThat(y[i]).isCloseTo(x[i], within(1e-4 * x[i]));
            }
            System.out.printf(
                    "MiniLM seed-1 configuration MSE: overrides %.6e, fed %.6e; 6 single-layer measurements: overrides %.2f s, fed %.2f s%n",
                    a, b, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        }
    }
}
