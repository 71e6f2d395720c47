package dev.mpq.devices.ort;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Map;

/**
 * One ONNX Runtime session of a single-node product graph ({@link OnnxGraphs}) with a fixed input,
 * on a given number of intra-op threads (inter-op 1, sequential execution), so its time can be set
 * beside a Java kernel's at the same shape and thread count.
 */
public final class OrtProduct implements AutoCloseable {

    private final OrtSession session;
    private OnnxTensor input;

    private OrtProduct(OrtSession session) {
        this.session = session;
    }

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /**
     * The process's ONNX Runtime environment, with a global intra-op pool of all cores: sessions on
     * all cores share it, so the idle threads of many sessions (benchmark rotation buffers) do not
     * compete. Idle pool threads block instead of spinning (ONNX Runtime's advice when the cores
     * are shared), so they do not steal time from the Java kernels measured in between.
     */
    private static boolean globalPool;

    private static synchronized OrtEnvironment environment() throws OrtException {
        if (globalPool) {
            return OrtEnvironment.getEnvironment();
        }
        try (OrtEnvironment.ThreadingOptions threading = new OrtEnvironment.ThreadingOptions()) {
            threading.setGlobalIntraOpNumThreads(CORES);
            threading.setGlobalInterOpNumThreads(1);
            threading.setGlobalSpinControl(false);
            OrtEnvironment env = OrtEnvironment.getEnvironment(
                    ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "mpq-devices", threading);
            globalPool = true;
            return env;
        } catch (IllegalStateException alreadyCreated) {
            return OrtEnvironment.getEnvironment(); // created elsewhere without a global pool
        }
    }

    /**
     * A session of {@code model} on {@code threads} intra-op threads: the global pool when
     * {@code threads} is every core, a pool of its own otherwise.
     */
    public static OrtProduct create(byte[] model, int threads) {
        try {
            OrtEnvironment env = environment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                if (threads == CORES && CORES > 1 && globalPool) {
                    options.disablePerSessionThreads();
                } else {
                    options.setIntraOpNumThreads(threads);
                }
                options.setInterOpNumThreads(1);
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                return new OrtProduct(env.createSession(model, options));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime rejected the product graph: " + e.getMessage(), e);
        }
    }

    /** Sets int8 activations {@code a[m * k]}. */
    public OrtProduct int8Input(byte[] a, int m, int k) {
        return setInput(() -> OnnxTensor.createTensor(
                OrtEnvironment.getEnvironment(), ByteBuffer.wrap(a), new long[] {m, k}, OnnxJavaType.INT8));
    }

    /** Sets int8 activations {@code a[m * k]} as uint8 codes {@code a + 128} (for the unsigned-activation graph). */
    public OrtProduct uint8Input(byte[] a, int m, int k) {
        byte[] shifted = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            shifted[i] = (byte) (a[i] + 128);
        }
        return setInput(() -> OnnxTensor.createTensor(
                OrtEnvironment.getEnvironment(), ByteBuffer.wrap(shifted), new long[] {m, k}, OnnxJavaType.UINT8));
    }

    /** Sets fp32 activations {@code a[m * k]}. */
    public OrtProduct floatInput(float[] a, int m, int k) {
        return setInput(
                () -> OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(a), new long[] {m, k}));
    }

    private interface TensorFactory {
        OnnxTensor create() throws OrtException;
    }

    private OrtProduct setInput(TensorFactory factory) {
        try {
            if (input != null) {
                input.close();
            }
            input = factory.create();
            return this;
        } catch (OrtException e) {
            throw new IllegalStateException("Could not create the ONNX Runtime input: " + e.getMessage(), e);
        }
    }

    /** Runs once and discards the output (what the benchmark times). */
    public void run() {
        try (OrtSession.Result ignored = session.run(Map.of("A", input))) {
            // the output is freed here
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime run failed: " + e.getMessage(), e);
        }
    }

    /** Runs once and returns the int32 output (MatMulInteger). */
    public int[] runInt() {
        try (OrtSession.Result result = session.run(Map.of("A", input))) {
            IntBuffer buffer = ((OnnxTensor) result.get(0)).getIntBuffer();
            int[] out = new int[buffer.remaining()];
            buffer.get(out);
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime run failed: " + e.getMessage(), e);
        }
    }

    /** Runs once and returns the fp32 output. */
    public float[] runFloat() {
        try (OrtSession.Result result = session.run(Map.of("A", input))) {
            FloatBuffer buffer = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] out = new float[buffer.remaining()];
            buffer.get(out);
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime run failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            if (input != null) {
                input.close();
            }
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("Could not close the ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
