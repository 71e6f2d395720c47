package dev.mpq.devices.probe;

import dev.mpq.devices.kernels.KernelThreads;
import dev.mpq.devices.kernels.Lanes;
import dev.mpq.devices.measure.Trials;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Memory bandwidth the STREAM way: the triad {@code a[i] = b[i] + s * c[i]} over fp32 arrays far
 * larger than the last-level cache, split over the threads; bytes counted = 3 x array bytes per
 * pass (two reads, one write, write-allocate traffic not counted, as STREAM does). A read-only
 * sum over the same arrays is measured too (what a weight-streaming kernel does).
 */
public final class TriadBandwidth {

    /** Bandwidths in GB/s (10^9 bytes per second) and the timing behind the triad figure. */
    public record Result(double triadGbs, double readGbs, long arrayBytes, int threads, Trials.Result triad) {}

    private TriadBandwidth() {}

    /** Measures with three arrays of {@code arrayBytes} each (rounded down to whole vectors). */
    public static Result measure(KernelThreads threads, long arrayBytes, Trials trials) {
        int n = (int) Math.min(Integer.MAX_VALUE - 64, arrayBytes / 4 / 64 * 64);
        float[] a = new float[n];
        float[] b = new float[n];
        float[] c = new float[n];
        threads.forEachRange(n, 64, (start, end) -> {
            for (int i = start; i < end; i++) {
                b[i] = 1f;
                c[i] = 2f;
            }
        });
        float scalar = 3f;
        Trials.Result triad = trials.measure(() -> threads.forEachRange(n, 1024, (start, end) -> {
            int vl = Lanes.VL;
            for (int i = start; i < end; i += vl) {
                FloatVector.fromArray(Lanes.F, c, i)
                        .mul(scalar)
                        .add(FloatVector.fromArray(Lanes.F, b, i))
                        .intoArray(a, i);
            }
        }));
        float[] sink = new float[threads.threads() * 16];
        Trials.Result read = trials.measure(() -> threads.forEachRange(n, 1024, (start, end) -> {
            FloatVector s0 = FloatVector.zero(Lanes.F);
            FloatVector s1 = FloatVector.zero(Lanes.F);
            int vl = Lanes.VL;
            for (int i = start; i < end; i += vl) {
                s0 = s0.add(FloatVector.fromArray(Lanes.F, b, i));
                s1 = s1.add(FloatVector.fromArray(Lanes.F, c, i));
            }
            sink[(start / Math.max(1, end - start)) % sink.length] += s0.add(s1).reduceLanes(VectorOperators.ADD);
        }));
        long bytes = 4L * n;
        return new Result(
                3.0 * bytes / triad.medianSeconds() / 1e9,
                2.0 * bytes / read.medianSeconds() / 1e9,
                bytes,
                threads.threads(),
                triad);
    }
}
