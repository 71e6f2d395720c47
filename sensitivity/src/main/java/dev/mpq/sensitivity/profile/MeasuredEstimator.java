package dev.mpq.sensitivity.profile;

import dev.mpq.core.NumericFormat;
import dev.mpq.sensitivity.format.Quantizer;
import dev.mpq.sensitivity.onnx.OnnxLayer;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import dev.mpq.sensitivity.onnx.WeightMatrix;
import dev.mpq.sensitivity.runtime.NetworkErrorMeter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code measured}: the network is run (ONNX Runtime) with one layer quantized at a time; the
 * penalty is the change of the output against the float network on the calibration samples (MSE,
 * cosine distance or KL, see {@link dev.mpq.sensitivity.runtime.OutputMetric}). Costs layers x
 * formats x samples runs.
 */
public final class MeasuredEstimator {

    public static final String METHOD = "measured";

    private MeasuredEstimator() {}

    public static SensitivityProfile estimate(
            OnnxNetwork network,
            List<NumericFormat> formats,
            NetworkErrorMeter meter,
            String calibrationDescription,
            int samples,
            ProgressListener progress) {
        List<LayerPenalties> layers = new ArrayList<>();
        long total = (long) network.layers().size() * formats.size();
        long done = 0;
        for (OnnxLayer layer : network.layers()) {
            WeightMatrix m = layer.matrix(network.model());
            Map<String, Double> penalties = new LinkedHashMap<>();
            float[] q = new float[m.data().length];
            for (NumericFormat format : formats) {
                Quantizer.of(format).fakeQuantize(m.data(), m.rows(), m.cols(), q);
                float[] stored = layer.toStored(new WeightMatrix(q.clone(), m.rows(), m.cols()));
                penalties.put(format.id(), meter.measure(Map.of(layer.weight().name(), stored)));
                progress.progress(++done, total, layer.name() + " " + format.id());
            }
            layers.add(new LayerPenalties(
                    layer.name(),
                    layer.spec().kind().id(),
                    layer.spec().shape(),
                    layer.spec().parameters(),
                    penalties));
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("weights", network.model().path().getFileName().toString());
        inputs.put("penalty", "output change with only this layer quantized");
        inputs.put("metric", meter.metric().id());
        inputs.put("output", meter.outputName() + (meter.meanPool() ? " (mean-pooled over tokens)" : ""));
        inputs.put("calibration", calibrationDescription);
        inputs.put("calibration_samples", Integer.toString(samples));
        return new SensitivityProfile(network.spec().name(), METHOD, layers, inputs);
    }
}
