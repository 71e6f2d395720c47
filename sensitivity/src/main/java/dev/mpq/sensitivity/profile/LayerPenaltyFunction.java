package dev.mpq.sensitivity.profile;

import dev.mpq.sensitivity.format.Quantizer;
import dev.mpq.sensitivity.onnx.OnnxLayer;
import dev.mpq.sensitivity.onnx.WeightMatrix;

/** The penalty of one layer in one format, from the layer's weights; called concurrently. */
@FunctionalInterface
public interface LayerPenaltyFunction {

    /**
     * @param scratch a buffer of the layer's size that this call may overwrite
     */
    double penalty(OnnxLayer layer, WeightMatrix weights, Quantizer quantizer, float[] scratch);
}
