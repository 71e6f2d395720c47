package dev.mpq.sensitivity.onnx;

import dev.mpq.core.LayerKind;
import dev.mpq.core.LayerSpec;
import dev.mpq.core.NetworkSpec;
import dev.mpq.sensitivity.weights.WeightFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The quantizable layers of an ONNX model: every MatMul, Gemm and Conv whose weight is a stored
 * tensor (initializer or Constant node, in the main graph or an If/Loop/Scan subgraph).
 *
 * <p>Per layer: the node's name (or the weight's name when the node has none), kind ({@code linear}
 * for MatMul/Gemm, {@code conv}), shape ([out, in] for linear, ONNX's [out, in/group, k...] for
 * conv), parameters, MACs (per token for linear: in x out; per input for conv: out_channels x
 * output positions x in/group x kernel size, when the output or input spatial shape is static,
 * else 0), and a suggested tie group: layers of one graph reading the same activation (Q/K/V)
 * share the group named after that activation.
 */
public record OnnxNetwork(OnnxModel model, NetworkSpec spec, List<OnnxLayer> layers) {

    public OnnxNetwork {
        layers = List.copyOf(layers);
    }

    /** Reads a model file and finds its layers; the network is named after the file. */
    public static OnnxNetwork read(Path file) {
        OnnxModel model = OnnxReader.read(file);
        String name = file.getFileName().toString().replaceFirst("\\.onnx$", "");
        return of(model, name);
    }

    /** Finds the layers of a parsed model. */
    public static OnnxNetwork of(OnnxModel model, String networkName) {
        Map<String, OnnxTensor> tensors = model.tensors();
        List<Found> found = new ArrayList<>();
        for (OnnxGraph graph : model.graph().withSubgraphs()) {
            Map<String, OnnxValueInfo> infos = new HashMap<>();
            for (List<OnnxValueInfo> list : List.of(graph.inputs(), graph.outputs(), graph.valueInfos())) {
                for (OnnxValueInfo v : list) {
                    infos.put(v.name(), v);
                }
            }
            for (OnnxNode node : graph.nodes()) {
                Found f = layerOf(model, graph, node, tensors, infos);
                if (f != null) {
                    found.add(f);
                }
            }
        }
        if (found.isEmpty()) {
            throw new WeightFileException(
                    model.path(), "graph", "has no MatMul, Gemm or Conv with a stored weight: nothing to quantize");
        }
        // suggested ties: layers of one graph reading the same activation
        Map<String, Integer> readers = new HashMap<>();
        for (Found f : found) {
            readers.merge(f.graphKey, 1, Integer::sum);
        }
        Set<String> names = new HashSet<>();
        List<OnnxLayer> layers = new ArrayList<>();
        Map<String, LayerSpec> specs = new LinkedHashMap<>();
        for (Found f : found) {
            String name = f.name;
            for (int k = 2; !names.add(name); k++) {
                name = f.name + "#" + k;
            }
            String tie = readers.get(f.graphKey) > 1 ? f.dataInput : null;
            LayerSpec spec = new LayerSpec(name, f.kind, f.shape, f.parameters, f.macs, tie);
            specs.put(name, spec);
            layers.add(new OnnxLayer(spec, f.node, f.weight, f.dataInput, f.transposed));
        }
        return new OnnxNetwork(model, new NetworkSpec(networkName, List.copyOf(specs.values())), layers);
    }

    private record Found(
            String name,
            LayerKind kind,
            List<Long> shape,
            long parameters,
            long macs,
            OnnxNode node,
            OnnxTensor weight,
            String dataInput,
            boolean transposed,
            String graphKey) {}

    private static Found layerOf(
            OnnxModel model,
            OnnxGraph graph,
            OnnxNode node,
            Map<String, OnnxTensor> tensors,
            Map<String, OnnxValueInfo> infos) {
        if (!(node.domain().isEmpty() || node.domain().equals("ai.onnx"))
                || node.inputs().size() < 2) {
            return null;
        }
        String op = node.opType();
        if (!op.equals("MatMul") && !op.equals("Gemm") && !op.equals("Conv")) {
            return null;
        }
        OnnxTensor second = tensors.get(node.inputs().get(1));
        OnnxTensor first = tensors.get(node.inputs().get(0));
        OnnxTensor weight;
        String data;
        boolean transposed;
        if (second != null && first == null) {
            weight = second;
            data = node.inputs().get(0);
            transposed = op.equals("MatMul") || (op.equals("Gemm") && node.intAttribute("transB", 0) == 0);
        } else if (first != null && second == null && op.equals("MatMul")) {
            weight = first; // W x: W is [out, in]
            data = node.inputs().get(1);
            transposed = false;
        } else {
            return null; // two activations (attention scores), or two constants
        }
        List<Long> dims = weight.info().shape();
        String layerName = !node.name().isEmpty() ? node.name() : weight.name();
        for (long d : dims) {
            if (d <= 0) {
                throw WeightFileException.inTensor(
                        model.path(), weight.name(), "has a non-positive dimension in %s".formatted(dims));
            }
        }
        long parameters = weight.info().elementCount();
        String graphKey = System.identityHashCode(graph) + "/" + data;
        if (op.equals("Conv")) {
            if (dims.size() < 3) {
                throw WeightFileException.inTensor(
                        model.path(),
                        weight.name(),
                        "is a Conv weight of rank %d; expected [out, in/group, k...]".formatted(dims.size()));
            }
            long macs = convMacs(node, dims, infos);
            return new Found(layerName, LayerKind.CONV, dims, parameters, macs, node, weight, data, false, graphKey);
        }
        if (dims.size() < 2) {
            return null; // a vector operand is not a weight matrix
        }
        long in;
        long out;
        if (transposed) {
            in = dims.get(dims.size() - 2);
            out = dims.get(dims.size() - 1);
        } else {
            if (dims.size() > 2) {
                return null; // batched W x with stored W: unusual, left alone
            }
            out = dims.get(0);
            in = dims.get(1);
        }
        long batches = parameters / (in * out);
        List<Long> shape = batches == 1 ? List.of(out, in) : List.of(batches, out, in);
        return new Found(
                layerName, LayerKind.LINEAR, shape, parameters, parameters, node, weight, data, transposed, graphKey);
    }

    private static long convMacs(OnnxNode node, List<Long> w, Map<String, OnnxValueInfo> infos) {
        long perPosition = 1;
        for (int i = 1; i < w.size(); i++) {
            perPosition *= w.get(i);
        }
        long outChannels = w.get(0);
        int spatial = w.size() - 2;
        OnnxValueInfo output = infos.get(node.outputs().get(0));
        if (output != null && output.shape().size() == spatial + 2) {
            long positions = 1;
            boolean known = true;
            for (int i = 2; i < output.shape().size(); i++) {
                known &= output.shape().get(i) > 0;
                positions *= output.shape().get(i);
            }
            if (known) {
                return outChannels * positions * perPosition;
            }
        }
        OnnxValueInfo input = infos.get(node.inputs().get(0));
        if (input == null || input.shape().size() != spatial + 2) {
            return 0;
        }
        List<Long> strides = node.intsAttribute("strides");
        List<Long> pads = node.intsAttribute("pads");
        List<Long> dilations = node.intsAttribute("dilations");
        String autoPad = node.stringAttribute("auto_pad", "NOTSET");
        long positions = 1;
        for (int i = 0; i < spatial; i++) {
            long size = input.shape().get(i + 2);
            if (size <= 0) {
                return 0;
            }
            long stride = strides.isEmpty() ? 1 : strides.get(i);
            long dilation = dilations.isEmpty() ? 1 : dilations.get(i);
            long kernel = w.get(i + 2);
            long outSize;
            if (autoPad.startsWith("SAME")) {
                outSize = (size + stride - 1) / stride;
            } else {
                long pad = pads.isEmpty() ? 0 : pads.get(i) + pads.get(i + spatial);
                if (autoPad.equals("VALID")) {
                    pad = 0;
                }
                outSize = (size + pad - dilation * (kernel - 1) - 1) / stride + 1;
            }
            if (outSize <= 0) {
                return 0;
            }
            positions *= outSize;
        }
        return outChannels * positions * perPosition;
    }

    /** The layer with this name. */
    public OnnxLayer layer(String name) {
        for (OnnxLayer l : layers) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("The network %s has no layer '%s'.".formatted(spec.name(), name));
    }
}
