package dev.mpq.sensitivity.onnx;

import java.util.List;

/** A node attribute: only the fields this reader uses are kept (numbers, strings, a tensor, subgraphs). */
public record OnnxAttribute(
        String name,
        Long i,
        Float f,
        String s,
        List<Long> ints,
        List<Float> floats,
        OnnxTensor t,
        List<OnnxGraph> graphs) {

    public OnnxAttribute {
        ints = List.copyOf(ints);
        floats = List.copyOf(floats);
        graphs = List.copyOf(graphs);
    }
}
