package dev.mpq.sensitivity.minilm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.core.NumericFormat;
import dev.mpq.sensitivity.format.IntQuantizer;
import dev.mpq.sensitivity.onnx.OnnxLayer;
import dev.mpq.sensitivity.onnx.OnnxModel;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import dev.mpq.sensitivity.onnx.OnnxReader;
import dev.mpq.sensitivity.onnx.OnnxTensor;
import dev.mpq.sensitivity.onnx.WeightMatrix;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The INT8 twin of all-MiniLM-L6-v2 was made by ONNX Runtime's dynamic quantizer: per output
 * channel, symmetric, zero point 0, and "reduce range" (7-bit codes -64..64, scale = amax / 64).
 * Our integer quantizer with that scheme, applied to the float model's 36 MatMul weights, must give
 * the same integer weights.
 */
class MiniLmInt8ReproductionIT {

    @Test
    void ourQuantizerReproducesTheInt8TwinsIntegerWeights() {
        OnnxNetwork net = OnnxNetwork.read(MiniLm.floatModel());
        OnnxModel twin = OnnxReader.read(MiniLm.int8Model());
        Map<String, OnnxTensor> twinTensors = twin.tensors();
        long total = 0;
        long equal = 0;
        long withinOne = 0;
        long scalesEqual = 0;
        long scales = 0;
        int maxCode = 0;
        for (OnnxLayer layer : net.layers()) {
            String w = layer.weight().name();
            float[] twinCodes = twin.readFloats(twinTensors.get(w + "_quantized")); // [in, out] int8
            float[] twinScales = twin.readFloats(twinTensors.get(w + "_scale")); // [out]
            float[] twinZeros = twin.readFloats(twinTensors.get(w + "_zero_point"));
            for (float z : twinZeros) {
                assertThat(z).isZero();
            }
            // read the scheme from the twin: symmetric, the largest code
            for (float c : twinCodes) {
                maxCode = Math.max(maxCode, (int) Math.abs(c));
            }
            WeightMatrix m = layer.matrix(net.model()); // rows = out channels
            IntQuantizer scheme = new IntQuantizer(
                    new NumericFormat(
                            "ort-int8-reduce-range",
                            NumericFormat.Family.INT,
                            8,
                            0,
                            0,
                            0,
                            NumericFormat.Scale.FP32,
                            false,
                            8),
                    -64,
                    64,
                    false,
                    0,
                    false);
            IntQuantizer.Encoded ours = scheme.encode(m.data(), m.rows(), m.cols());
            int in = m.cols();
            int out = m.rows();
            for (int o = 0; o < out; o++) {
                scales++;
                if (ours.scales()[o] == twinScales[o]) {
                    scalesEqual++;
                }
                for (int i = 0; i < in; i++) {
                    int theirs = (int) twinCodes[i * out + o];
                    int mine = ours.codes()[o * in + i];
                    total++;
                    if (mine == theirs) {
                        equal++;
                    }
                    if (Math.abs(mine - theirs) <= 1) {
                        withinOne++;
                    }
                }
            }
        }
        double shareEqual = (double) equal / total;
        double shareWithinOne = (double) withinOne / total;
        System.out.printf(
                "MiniLM INT8 twin: %d weights in 36 layers, codes equal %.6f, within one step %.6f, scales equal %d/%d, largest code %d%n",
                total, shareEqual, shareWithinOne, scalesEqual, scales, maxCode);
        assertThat(maxCode).isEqualTo(64);
        assertThat(total).isEqualTo(6L * (4 * 384 * 384 + 2 * 384 * 1536));
        assertThat(shareWithinOne).isGreaterThanOrEqualTo(0.999);
        assertThat(shareEqual).isGreaterThanOrEqualTo(0.999);
    }
}
