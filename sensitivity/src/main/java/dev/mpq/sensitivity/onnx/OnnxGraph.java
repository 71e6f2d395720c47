package dev.mpq.sensitivity.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * An ONNX graph (the model's main graph or a subgraph of If/Loop/Scan).
 *
 * @param initializerFields for each initializer, the file offsets {start, end} of its whole field
 *     (tag, length and message), for rewrites that drop it
 */
public record OnnxGraph(
        String name,
        List<OnnxNode> nodes,
        List<OnnxTensor> initializers,
        List<OnnxValueInfo> inputs,
        List<OnnxValueInfo> outputs,
        List<OnnxValueInfo> valueInfos,
        java.util.Map<String, List<Long>> initializerFields) {

    public OnnxGraph {
        nodes = List.copyOf(nodes);
        initializers = List.copyOf(initializers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        valueInfos = List.copyOf(valueInfos);
        initializerFields = java.util.Map.copyOf(initializerFields);
    }

    /** This graph and every subgraph below it, depth first. */
    public List<OnnxGraph> withSubgraphs() {
        List<OnnxGraph> all = new ArrayList<>();
        collect(this, all);
        return all;
    }

    private static void collect(OnnxGraph graph, List<OnnxGraph> into) {
        into.add(graph);
        for (OnnxNode node : graph.nodes) {
            for (OnnxAttribute attribute : node.attributes().values()) {
                for (OnnxGraph sub : attribute.graphs()) {
                    collect(sub, into);
                }
            }
        }
    }
}
