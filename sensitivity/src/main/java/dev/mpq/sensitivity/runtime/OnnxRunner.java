package dev.mpq.sensitivity.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.mpq.sensitivity.calibration.CalibrationSample;
import dev.mpq.sensitivity.calibration.InputTensor;
import dev.mpq.sensitivity.format.MiniFloat;
import dev.mpq.sensitivity.onnx.OnnxModel;
import dev.mpq.sensitivity.onnx.OnnxModelEditor;
import dev.mpq.sensitivity.onnx.OnnxTensor;
import dev.mpq.sensitivity.weights.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an ONNX model with ONNX Runtime, optionally with some weights replaced.
 *
 * <p>Replacing weights: graph initializers are overridden with {@code
 * SessionOptions.addInitializer} from direct buffers that this class keeps alive until the session
 * is closed; Constant-node tensors cannot be overridden that way, so the session then loads a
 * rewritten copy of the model ({@link OnnxModelEditor#withReplacedTensors}) from a temporary file.
 */
public final class OnnxRunner {

    private final OnnxModel model;
    private final Path modelFile;
    private final int threads;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();

    /**
     * @param model the parsed model (its tensors are the ones that can be replaced)
     * @param modelFile the file sessions load: the model itself or a rewrite of it with the same
     *     tensors (e.g. with extra outputs)
     * @param threads intra-op threads per session
     */
    public OnnxRunner(OnnxModel model, Path modelFile, int threads) {
        this.model = model;
        this.modelFile = modelFile;
        this.threads = Math.max(1, threads);
    }

    /** A model output of one run: the flattened elements and their shape. */
    public record Output(float[] values, long[] shape) {}

    /**
     * Opens a session whose weights named in {@code replacements} (stored layout, by tensor name)
     * are replaced.
     */
    public Session open(Map<String, float[]> replacements) {
        Map<String, OnnxTensor> tensors = model.tensors();
        Map<OnnxTensor, float[]> constants = new LinkedHashMap<>();
        Map<String, float[]> initializers = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : replacements.entrySet()) {
            OnnxTensor t = tensors.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException(
                        "The model has no stored tensor '%s' to replace.".formatted(e.getKey()));
            }
            if (t.origin().equals("initializer")) {
                initializers.put(e.getKey(), e.getValue());
            } else {
                constants.put(t, e.getValue());
            }
        }
        List<ai.onnxruntime.OnnxTensor> keepAlive = new ArrayList<>();
        Path file = modelFile;
        Path temporary = null;
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            if (!constants.isEmpty()) {
                temporary = Files.createTempFile("mpq-rewritten-", ".onnx");
                OnnxModelEditor.withReplacedTensors(withFile(model, modelFile), constants, temporary);
                file = temporary;
            }
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            for (Map.Entry<String, float[]> e : initializers.entrySet()) {
                ai.onnxruntime.OnnxTensor value = tensorOf(tensors.get(e.getKey()), e.getValue());
                keepAlive.add(value);
                options.addInitializer(e.getKey(), value);
            }
            OrtSession session = env.createSession(file.toString(), options);
            return new Session(session, options, keepAlive, temporary);
        } catch (OrtException | IOException e) {
            options.close();
            keepAlive.forEach(ai.onnxruntime.OnnxTensor::close);
            deleteQuietly(temporary);
            throw new IllegalStateException(
                    "ONNX Runtime could not open %s: %s".formatted(modelFile, e.getMessage()), e);
        }
    }

    private static OnnxModel withFile(OnnxModel model, Path file) {
        // rewrites keep tensor offsets only for the original file; an outputs-extended copy shifts them
        return file.equals(model.path()) ? model : dev.mpq.sensitivity.onnx.OnnxReader.read(file);
    }

    /**
     * A tensor holding replacement values for the stored tensor {@code name} (its shape and element
     * type, direct buffer); the caller closes it.
     */
    public ai.onnxruntime.OnnxTensor weightTensor(String name, float[] values) {
        OnnxTensor t = model.tensors().get(name);
        if (t == null) {
            throw new IllegalArgumentException("The model has no stored tensor '%s'.".formatted(name));
        }
        try {
            return tensorOf(t, values);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not hold the values of " + name, e);
        }
    }

    private ai.onnxruntime.OnnxTensor tensorOf(OnnxTensor t, float[] values) throws OrtException {
        long[] shape = t.info().shape().stream().mapToLong(Long::longValue).toArray();
        DataType type = t.info().type();
        if (values.length != t.info().elementCount()) {
            throw new IllegalArgumentException("Replacement for '%s' has %d values; the tensor has %d."
                    .formatted(t.name(), values.length, t.info().elementCount()));
        }
        return switch (type) {
            case FLOAT32 -> {
                FloatBuffer b = ByteBuffer.allocateDirect(values.length * 4)
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
                b.put(values).flip();
                yield ai.onnxruntime.OnnxTensor.createTensor(env, b, shape);
            }
            case FLOAT16, BFLOAT16 -> {
                ShortBuffer b = ByteBuffer.allocateDirect(values.length * 2)
                        .order(ByteOrder.nativeOrder())
                        .asShortBuffer();
                MiniFloat element = type == DataType.FLOAT16 ? MiniFloat.FP16 : MiniFloat.BF16;
                for (float v : values) {
                    b.put((short) element.encode(v));
                }
                b.flip();
                yield ai.onnxruntime.OnnxTensor.createTensor(
                        env, b, shape, type == DataType.FLOAT16 ? OnnxJavaType.FLOAT16 : OnnxJavaType.BFLOAT16);
            }
            default ->
                throw new IllegalArgumentException(
                        "Tensor '%s' is %s; only float32/float16/bfloat16 weights can be replaced."
                                .formatted(t.name(), type));
        };
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temporary file left behind is harmless
            }
        }
    }

    /** An open ONNX Runtime session with its replacement tensors; close it to free them. */
    public final class Session implements AutoCloseable {
        private final OrtSession session;
        private final OrtSession.SessionOptions options;
        private final List<ai.onnxruntime.OnnxTensor> keepAlive;
        private final Path temporary;

        private Session(
                OrtSession session,
                OrtSession.SessionOptions options,
                List<ai.onnxruntime.OnnxTensor> keepAlive,
                Path temporary) {
            this.session = session;
            this.options = options;
            this.keepAlive = keepAlive;
            this.temporary = temporary;
        }

        /** Runs one sample and returns the requested outputs (all graph outputs when empty). */
        public Map<String, Output> run(CalibrationSample sample, List<String> outputs) {
            return run(sample, outputs, Map.of());
        }

        /**
         * As {@link #run(CalibrationSample, List)}, feeding {@code weights} (made by {@link
         * OnnxRunner#weightTensor}, owned by the caller) as extra inputs.
         */
        public Map<String, Output> run(
                CalibrationSample sample, List<String> outputs, Map<String, ai.onnxruntime.OnnxTensor> weights) {
            Map<String, ai.onnxruntime.OnnxTensor> feeds = new HashMap<>();
            try {
                for (InputTensor input : sample.inputs()) {
                    feeds.put(
                            input.name(),
                            input.longs() != null
                                    ? ai.onnxruntime.OnnxTensor.createTensor(
                                            env, LongBuffer.wrap(input.longs()), input.shape())
                                    : ai.onnxruntime.OnnxTensor.createTensor(
                                            env, FloatBuffer.wrap(input.floats()), input.shape()));
                }
                java.util.Set<String> requested =
                        outputs.isEmpty() ? session.getOutputNames() : new java.util.LinkedHashSet<>(outputs);
                Map<String, ai.onnxruntime.OnnxTensor> all = new HashMap<>(feeds);
                all.putAll(weights);
                try (OrtSession.Result result = session.run(all, requested)) {
                    Map<String, Output> out = new LinkedHashMap<>();
                    for (Map.Entry<String, OnnxValue> e : result) {
                        ai.onnxruntime.OnnxTensor t = (ai.onnxruntime.OnnxTensor) e.getValue();
                        long[] shape = t.getInfo().getShape();
                        out.put(e.getKey(), new Output(floats(t), shape));
                    }
                    return out;
                }
            } catch (OrtException e) {
                throw new IllegalStateException(
                        "ONNX Runtime failed on %s: %s".formatted(modelFile, e.getMessage()), e);
            } finally {
                feeds.values().forEach(ai.onnxruntime.OnnxTensor::close);
            }
        }

        private float[] floats(ai.onnxruntime.OnnxTensor t) {
            OnnxJavaType type = t.getInfo().type;
            if (type == OnnxJavaType.FLOAT) {
                FloatBuffer b = t.getFloatBuffer();
                float[] a = new float[b.remaining()];
                b.get(a);
                return a;
            }
            if (type == OnnxJavaType.FLOAT16 || type == OnnxJavaType.BFLOAT16) {
                ShortBuffer b = t.getShortBuffer();
                float[] a = new float[b.remaining()];
                for (int i = 0; i < a.length; i++) {
                    short bits = b.get();
                    a[i] = type == OnnxJavaType.FLOAT16
                            ? dev.mpq.sensitivity.weights.ElementDecoder.half(bits)
                            : dev.mpq.sensitivity.weights.ElementDecoder.bfloat(bits);
                }
                return a;
            }
            throw new IllegalStateException("Output of type %s is not a float tensor.".formatted(type));
        }

        @Override
        public void close() {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            } finally {
                options.close();
                keepAlive.forEach(ai.onnxruntime.OnnxTensor::close);
                deleteQuietly(temporary);
            }
        }
    }

    /** The model whose tensors this runner replaces. */
    public OnnxModel model() {
        return model;
    }
}
