package dev.mpq.devices.bench;

import dev.mpq.devices.measure.Trials;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A measured row of the CONTRACTS.md section 6 {@code kernels[]} list.
 *
 * @param runtime {@code java} or {@code onnxruntime}
 * @param bytes weight bytes + scales + activations, each read once
 * @param ortGops ONNX Runtime's figure for the same case, or null where it has no such kernel
 * @param bandwidthGbs the bandwidth measured before the kernels (for progress lines; the JSON
 *     fraction uses the final figure)
 */
public record KernelRow(
        KernelCase kernelCase,
        String runtime,
        String implementation,
        Trials.Result timing,
        double bytes,
        Double ortGops,
        double bandwidthGbs) {

    public double gbs() {
        return bytes / timing.medianSeconds() / 1e9;
    }

    public double gops() {
        return kernelCase.operations() / timing.medianSeconds() / 1e9;
    }

    public KernelRow withOrtGops(Double gops) {
        return new KernelRow(kernelCase, runtime, implementation, timing, bytes, gops, bandwidthGbs);
    }

    /** The JSON object; {@code fraction_of_bandwidth} is taken against {@code bandwidthGbs}. */
    Map<String, Object> toJson(double bandwidthGbs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernel", kernelCase.kernel());
        m.put("runtime", runtime);
        m.put("format", kernelCase.format());
        m.put("rows", kernelCase.rows());
        m.put("cols", kernelCase.cols());
        m.put("batch", kernelCase.batch());
        m.put("threads", kernelCase.threads());
        m.put("seconds", timing.medianSeconds());
        m.put("gbs", gbs());
        m.put("gops", gops());
        m.put("fraction_of_bandwidth", gbs() / bandwidthGbs);
        m.put("ort_gops", ortGops);
        m.put("implementation", implementation);
        m.put("seconds_min", timing.minSeconds());
        m.put("seconds_max", timing.maxSeconds());
        m.put("trials", timing.trials());
        m.put("repetitions", timing.repetitions());
        return m;
    }
}
