package dev.mpq.sensitivity.onnx;

import java.util.List;
import java.util.Map;

/** One node of an ONNX graph (subgraphs of If/Loop/Scan sit in its graph attributes). */
public record OnnxNode(
        String name,
        String opType,
        String domain,
        List<String> inputs,
        List<String> outputs,
        Map<String, OnnxAttribute> attributes) {

    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Map.copyOf(attributes);
    }

    /** An integer attribute, or the default. */
    public long intAttribute(String key, long defaultValue) {
        OnnxAttribute a = attributes.get(key);
        return a == null || a.i() == null ? defaultValue : a.i();
    }

    /** An integer-list attribute, or an empty list. */
    public List<Long> intsAttribute(String key) {
        OnnxAttribute a = attributes.get(key);
        return a == null ? List.of() : a.ints();
    }

    /** A string attribute, or the default. */
    public String stringAttribute(String key, String defaultValue) {
        OnnxAttribute a = attributes.get(key);
        return a == null || a.s() == null ? defaultValue : a.s();
    }
}
