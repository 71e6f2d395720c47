package dev.mpq.sensitivity.calibration;

import dev.mpq.sensitivity.onnx.OnnxGraph;
import dev.mpq.sensitivity.onnx.OnnxModel;
import dev.mpq.sensitivity.onnx.OnnxNode;
import dev.mpq.sensitivity.onnx.OnnxTensor;
import dev.mpq.sensitivity.onnx.OnnxValueInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Calibration inputs: from text through a WordPiece tokenizer (BERT-style models: input_ids,
 * attention_mask, token_type_ids), or generated from the graph's input declarations.
 */
public final class CalibrationSets {

    private CalibrationSets() {}

    /**
     * Uploaded calibration inputs: a safetensors file whose tensors are named after the model's
     * inputs, each with the sample index as its first dimension (all tensors the same count); sample
     * s gets slice s with a leading dimension of 1. Integer tensors feed int64 inputs, float tensors
     * float32 inputs.
     */
    public static List<CalibrationSample> fromSafetensors(Path file, OnnxModel model) {
        dev.mpq.sensitivity.weights.SafetensorsFile f = dev.mpq.sensitivity.weights.SafetensorsFile.open(file);
        List<String> names = model.graph().inputs().stream()
                .map(OnnxValueInfo::name)
                .filter(n -> model.graph().initializers().stream()
                        .noneMatch(t -> t.name().equals(n)))
                .toList();
        long count = -1;
        List<float[]> values = new ArrayList<>();
        List<dev.mpq.sensitivity.weights.TensorInfo> infos = new ArrayList<>();
        for (String name : names) {
            dev.mpq.sensitivity.weights.TensorInfo info = f.tensors().stream()
                    .filter(t -> t.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "Calibration file %s has no tensor for model input '%s' (it has %s)."
                                    .formatted(
                                            file,
                                            name,
                                            f.tensors().stream()
                                                    .map(t -> t.name())
                                                    .toList())));
            if (info.shape().isEmpty() || (count >= 0 && info.shape().get(0) != count)) {
                throw new IllegalArgumentException(
                        "Calibration tensor '%s' in %s has shape %s; every tensor needs the same sample count first."
                                .formatted(name, file, info.shape()));
            }
            count = info.shape().get(0);
            infos.add(info);
            values.add(f.readFloats(name));
        }
        List<CalibrationSample> samples = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            List<InputTensor> inputs = new ArrayList<>();
            for (int k = 0; k < names.size(); k++) {
                dev.mpq.sensitivity.weights.TensorInfo info = infos.get(k);
                long[] shape = info.shape().stream().mapToLong(Long::longValue).toArray();
                shape[0] = 1;
                int per = (int) (info.elementCount() / count);
                float[] all = values.get(k);
                boolean integer = switch (info.type()) {
                    case INT8, UINT8, INT16, INT32, INT64 -> true;
                    default -> false;
                };
                if (integer) {
                    long[] v = new long[per];
                    for (int i = 0; i < per; i++) {
                        v[i] = (long) all[s * per + i];
                    }
                    inputs.add(InputTensor.ofLongs(names.get(k), shape, v));
                } else {
                    inputs.add(
                            InputTensor.ofFloats(names.get(k), shape, Arrays.copyOfRange(all, s * per, (s + 1) * per)));
                }
            }
            samples.add(new CalibrationSample(inputs));
        }
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("Calibration file %s holds no samples.".formatted(file));
        }
        return samples;
    }

    /** One sample per non-blank line of {@code texts}, tokenized with {@code tokenizerJson}. */
    public static List<CalibrationSample> fromTextFile(Path texts, Path tokenizerJson, OnnxModel model) {
        try {
            WordPieceTokenizer tokenizer =
                    WordPieceTokenizer.fromJson(Files.readString(tokenizerJson, StandardCharsets.UTF_8));
            List<String> lines = Files.readAllLines(texts, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank())
                    .toList();
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("Calibration text file %s has no non-blank lines.".formatted(texts));
            }
            return fromTexts(lines, tokenizer, model);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "Cannot read the calibration texts %s or the tokenizer %s: %s".formatted(texts, tokenizerJson, e));
        }
    }

    /** One sample per text: input_ids, and attention_mask (ones) / token_type_ids (zeros) when the model has them. */
    public static List<CalibrationSample> fromTexts(List<String> texts, WordPieceTokenizer tokenizer, OnnxModel model) {
        List<String> names =
                model.graph().inputs().stream().map(OnnxValueInfo::name).toList();
        List<CalibrationSample> samples = new ArrayList<>();
        for (String text : texts) {
            long[] ids = tokenizer.encode(text, 512);
            long[] shape = {1, ids.length};
            List<InputTensor> inputs = new ArrayList<>();
            for (String name : names) {
                if (name.equals("input_ids")) {
                    inputs.add(InputTensor.ofLongs(name, shape, ids));
                } else if (name.equals("attention_mask")) {
                    long[] ones = new long[ids.length];
                    Arrays.fill(ones, 1);
                    inputs.add(InputTensor.ofLongs(name, shape, ones));
                } else if (name.equals("token_type_ids")) {
                    inputs.add(InputTensor.ofLongs(name, shape, new long[ids.length]));
                } else {
                    throw new IllegalArgumentException(
                            "Model input '%s' cannot be made from text (known: input_ids, attention_mask, token_type_ids)."
                                    .formatted(name));
                }
            }
            samples.add(new CalibrationSample(inputs));
        }
        return samples;
    }

    /**
     * {@code count} generated samples from the graph's inputs: unknown dimensions become 1 for the
     * first (batch) and {@code sequenceLength} for the others; float inputs are N(0, 1); integer
     * inputs are token-like: indices below the row count of the embedding they index (a Gather
     * whose data is a stored tensor), ones for names containing "mask", zeros otherwise.
     */
    public static List<CalibrationSample> generated(OnnxModel model, int count, int sequenceLength, long seed) {
        Random random = new Random(seed);
        List<OnnxValueInfo> inputs = model.graph().inputs().stream()
                .filter(v -> model.graph().initializers().stream()
                        .noneMatch(t -> t.name().equals(v.name())))
                .toList();
        List<CalibrationSample> samples = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            List<InputTensor> tensors = new ArrayList<>();
            for (OnnxValueInfo v : inputs) {
                long[] shape = new long[v.shape().size()];
                for (int d = 0; d < shape.length; d++) {
                    long dim = v.shape().get(d);
                    shape[d] = dim > 0 ? dim : (d == 0 ? 1 : sequenceLength);
                }
                int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
                if (v.elementType() == 1) {
                    float[] values = new float[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = (float) random.nextGaussian();
                    }
                    tensors.add(InputTensor.ofFloats(v.name(), shape, values));
                } else if (v.elementType() == 7 || v.elementType() == 6) {
                    long[] values = new long[n];
                    long range = indexRange(model, v.name());
                    for (int i = 0; i < n; i++) {
                        values[i] = range > 0
                                ? 1 + (long) random.nextInt((int) Math.min(Integer.MAX_VALUE, range - 1))
                                : (v.name().contains("mask") ? 1 : 0);
                    }
                    tensors.add(InputTensor.ofLongs(v.name(), shape, values));
                } else {
                    throw new IllegalArgumentException(
                            "Model input '%s' has element type %d; generated calibration covers float32 and int64 inputs. Upload calibration data instead."
                                    .formatted(v.name(), v.elementType()));
                }
            }
            samples.add(new CalibrationSample(tensors));
        }
        return samples;
    }

    private static long indexRange(OnnxModel model, String input) {
        var tensors = model.tensors();
        for (OnnxGraph g : model.graph().withSubgraphs()) {
            for (OnnxNode node : g.nodes()) {
                if (node.opType().equals("Gather")
                        && node.inputs().size() == 2
                        && node.inputs().get(1).equals(input)) {
                    OnnxTensor data = tensors.get(node.inputs().get(0));
                    if (data != null && !data.info().shape().isEmpty()) {
                        return data.info().shape().get(0);
                    }
                }
            }
        }
        return 0;
    }
}
