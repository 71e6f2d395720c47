package dev.mpq.sensitivity.onnx;

import dev.mpq.core.LayerSpec;
import java.util.List;

/**
 * A quantizable layer found in an ONNX graph: its spec and where its weight is.
 *
 * @param spec name (from the node), kind, shape ([out, in] for linear layers, the ONNX shape for
 *     convs), parameters, MACs, suggested tie group
 * @param node the MatMul / Gemm / Conv node
 * @param weight the weight tensor (an initializer or a Constant node's value)
 * @param dataInput the name of the activation the layer reads
 * @param transposed true when the stored weight is [in, out] (MatMul X*W, Gemm with transB = 0) and
 *     must be transposed into rows = outputs
 */
public record OnnxLayer(LayerSpec spec, OnnxNode node, OnnxTensor weight, String dataInput, boolean transposed) {

    public String name() {
        return spec.name();
    }

    /** True when the weight lives in a Constant node (replacing it needs a rewritten model). */
    public boolean inConstantNode() {
        return !weight.origin().equals("initializer");
    }

    /** Reads the weight and lays it out as rows = output channels, cols = inputs. */
    public WeightMatrix matrix(OnnxModel model) {
        float[] stored = model.readFloats(weight);
        return toMatrix(stored);
    }

    /**
     * As {@link #matrix(OnnxModel)}, reusing two buffers of the weight's size (one for the stored
     * layout, one for the transposed matrix) so that a loop over layers makes no garbage.
     */
    public WeightMatrix matrix(OnnxModel model, float[] storedBuffer, float[] matrixBuffer) {
        float[] stored = model.readFloats(weight, storedBuffer);
        return toMatrix(stored, matrixBuffer);
    }

    /** Lays stored weights out as rows = output channels, cols = inputs. */
    public WeightMatrix toMatrix(float[] stored) {
        return toMatrix(stored, null);
    }

    private WeightMatrix toMatrix(float[] stored, float[] buffer) {
        List<Long> shape = weight.info().shape();
        if (!transposed) {
            int rows = (int) (long) shape.get(0);
            return new WeightMatrix(stored, rows, stored.length / rows);
        }
        // [batch..., in, out] -> rows = batch x out, cols = in
        int in = (int) (long) shape.get(shape.size() - 2);
        int out = (int) (long) shape.get(shape.size() - 1);
        int batches = stored.length / (in * out);
        float[] t = buffer != null && buffer.length == stored.length && buffer != stored
                ? buffer
                : new float[stored.length];
        for (int b = 0; b < batches; b++) {
            int base = b * in * out;
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    t[base + o * in + i] = stored[base + i * out + o];
                }
            }
        }
        return new WeightMatrix(t, batches * out, in);
    }

    /** The inverse of {@link #toMatrix}: back to the stored layout. */
    public float[] toStored(WeightMatrix matrix) {
        if (!transposed) {
            return matrix.data();
        }
        List<Long> shape = weight.info().shape();
        int in = (int) (long) shape.get(shape.size() - 2);
        int out = (int) (long) shape.get(shape.size() - 1);
        float[] m = matrix.data();
        int batches = m.length / (in * out);
        float[] s = new float[m.length];
        for (int b = 0; b < batches; b++) {
            int base = b * in * out;
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    s[base + i * out + o] = m[base + o * in + i];
                }
            }
        }
        return s;
    }
}
