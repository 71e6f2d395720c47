package dev.mpq.devices.kernels;

import static dev.mpq.devices.kernels.Lanes.F;
import static dev.mpq.devices.kernels.Lanes.I;
import static dev.mpq.devices.kernels.Lanes.VL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * Matrix-matrix products (batch 2 and more) for every format: per thread, a panel of
 * {MR (8 or 4) rows x {@value #KC} columns of weights is decoded into fp32 once (in L1) and
 * multiplied with the transposed activations ({@code xt[k * bp + b]}, batch padded to
 * {@code bp}) by an outer-product micro-kernel: MR broadcast weights times two vectors of batch
 * entries into MR x 2 vector accumulators. Partial sums of each column chunk go
 * to a per-thread {@code yt[r][b]}.
 *
 * <p>The exact int8 x int8 product uses the same kernel on codes converted to fp32: every partial
 * sum of a chunk is an integer of magnitude at most {@value #KC} x 128 x 128 = 2^22 < 2^24, so
 * fp32 holds it exactly and each fused multiply-add is exact; chunk sums are converted to int32
 * exactly (see {@link #MAGIC}) and added in int32.
 */
public final class PanelGemm {

    /** Rows per micro-tile: 8 with 16-lane vectors (32 registers on AVX-512), 4 with 8 lanes (16 on AVX2). */
    public static final int MR = VL == 16 ? 8 : 4;

    /** Columns (the reduction dimension) per decoded panel; a multiple of {@link WeightMatrix#PANEL_ALIGNMENT}. */
    public static final int KC = 256;

    /** Batch entries per micro-tile: two vectors. */
    static final int NB = 2 * VL;

    /**
     * 1.5 x 2^23: adding it to an integer-valued fp32 v with |v| <= 2^22 gives a float in
     * [2^23, 2^24] whose bits minus {@link #MAGIC_BITS} are v (an exact float-to-int conversion
     * without the F2I cast that JDK 17 does not vectorize on every shape).
     */
    private static final float MAGIC = 12582912f;

    private static final int MAGIC_BITS = 0x4B400000;

    private PanelGemm() {}

    /** {@code y[b * rows + r] = sum_c w(r, c) * x[b * cols + c]}, for batch 1 and more. */
    public static void multiply(WeightMatrix w, float[] x, int batch, float[] y, KernelThreads threads) {
        int rows = w.rows();
        int cols = w.cols();
        if (batch == 1) {
            threads.forEachRange(rows, 8, (start, end) -> w.multiplyRows(x, y, start, end));
            return;
        }
        int nb = batch <= VL ? VL : NB;
        int bp = (batch + nb - 1) / nb * nb;
        float[] xt = transpose(x, batch, cols, bp);
        threads.forEachRange(rows, MR, (start, end) -> {
            float[] panel = new float[MR * KC];
            float[] tile = new float[MR * NB];
            float[] yt = new float[(end - start) * bp];
            for (int k0 = 0; k0 < cols; k0 += KC) {
                int kc = Math.min(KC, cols - k0);
                for (int r = start; r < end; r += MR) {
                    int mr = Math.min(MR, end - r);
                    w.decode(r, mr, k0, kc, panel, KC);
                    for (int b0 = 0; b0 < bp; b0 += nb) {
                        micro(panel, mr, kc, xt, k0 * bp + b0, bp, tile, nb);
                        for (int i = 0; i < mr; i++) {
                            int o = (r - start + i) * bp + b0;
                            for (int v = 0; v < nb; v += VL) {
                                FloatVector.fromArray(F, yt, o + v)
                                        .add(FloatVector.fromArray(F, tile, i * NB + v))
                                        .intoArray(yt, o + v);
                            }
                        }
                    }
                }
            }
            for (int r = start; r < end; r++) {
                for (int b = 0; b < batch; b++) {
                    y[b * rows + r] = yt[(r - start) * bp + b];
                }
            }
        });
    }

    /**
     * Exact int8 x int8 sums {@code acc[b * rows + r] = sum_c code(r, c) * xq[b * cols + c]} for
     * batch 2 and more (exact while cols x 2^14 < 2^31).
     */
    public static void multiplyExact(Int8Weights w, byte[] xq, int batch, int[] acc, KernelThreads threads) {
        int rows = w.rows();
        int cols = w.cols();
        int nb = batch <= VL ? VL : NB;
        int bp = (batch + nb - 1) / nb * nb;
        float[] xt = new float[cols * bp];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < cols; c++) {
                xt[c * bp + b] = xq[b * cols + c];
            }
        }
        threads.forEachRange(rows, MR, (start, end) -> {
            float[] panel = new float[MR * KC];
            float[] tile = new float[MR * NB];
            int[] yt = new int[(end - start) * bp];
            for (int k0 = 0; k0 < cols; k0 += KC) {
                int kc = Math.min(KC, cols - k0);
                for (int r = start; r < end; r += MR) {
                    int mr = Math.min(MR, end - r);
                    w.decodeCodes(r, mr, k0, kc, panel, KC);
                    for (int b0 = 0; b0 < bp; b0 += nb) {
                        micro(panel, mr, kc, xt, k0 * bp + b0, bp, tile, nb);
                        for (int i = 0; i < mr; i++) {
                            int o = (r - start + i) * bp + b0;
                            for (int v = 0; v < nb; v += VL) {
                                IntVector sums = FloatVector.fromArray(F, tile, i * NB + v)
                                        .add(MAGIC)
                                        .reinterpretAsInts()
                                        .sub(MAGIC_BITS);
                                IntVector.fromArray(I, yt, o + v).add(sums).intoArray(yt, o + v);
                            }
                        }
                    }
                }
            }
            for (int r = start; r < end; r++) {
                for (int b = 0; b < batch; b++) {
                    acc[b * rows + r] = yt[(r - start) * bp + b];
                }
            }
        });
    }

    static float[] transpose(float[] x, int batch, int cols, int bp) {
        float[] xt = new float[cols * bp];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < cols; c++) {
                xt[c * bp + b] = x[b * cols + c];
            }
        }
        return xt;
    }

    /**
     * tile[i * NB + j] = sum_{k < kc} panel[i * KC + k] * xt[xo + k * bp + j] for i < mr, j < nb
     * (nb = one vector for batches up to one vector, two otherwise).
     */
    private static void micro(float[] panel, int mr, int kc, float[] xt, int xo, int bp, float[] tile, int nb) {
        if (nb == VL) {
            if (mr == 8) {
                micro8x1(panel, kc, xt, xo, bp, tile);
                return;
            }
            for (int i = 0; i < mr; i++) {
                FloatVector a0 = FloatVector.zero(F);
                for (int k = 0, o = xo; k < kc; k++, o += bp) {
                    a0 = FloatVector.broadcast(F, panel[i * KC + k]).fma(FloatVector.fromArray(F, xt, o), a0);
                }
                a0.intoArray(tile, i * NB);
            }
            return;
        }
        if (mr == 8 && MR == 8) {
            micro8(panel, kc, xt, xo, bp, tile);
            return;
        }
        if (mr == 4 && MR == 4) {
            micro4(panel, kc, xt, xo, bp, tile);
            return;
        }
        for (int i = 0; i < mr; i++) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            for (int k = 0, o = xo; k < kc; k++, o += bp) {
                FloatVector w = FloatVector.broadcast(F, panel[i * KC + k]);
                a0 = w.fma(FloatVector.fromArray(F, xt, o), a0);
                a1 = w.fma(FloatVector.fromArray(F, xt, o + VL), a1);
            }
            a0.intoArray(tile, i * NB);
            a1.intoArray(tile, i * NB + VL);
        }
    }

    private static void micro4(float[] panel, int kc, float[] xt, int xo, int bp, float[] tile) {
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F);
        FloatVector a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F);
        FloatVector a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F);
        FloatVector a31 = FloatVector.zero(F);
        for (int k = 0, o = xo; k < kc; k++, o += bp) {
            FloatVector x0 = FloatVector.fromArray(F, xt, o);
            FloatVector x1 = FloatVector.fromArray(F, xt, o + VL);
            FloatVector w0 = FloatVector.broadcast(F, panel[k]);
            a00 = w0.fma(x0, a00);
            a01 = w0.fma(x1, a01);
            FloatVector w1 = FloatVector.broadcast(F, panel[KC + k]);
            a10 = w1.fma(x0, a10);
            a11 = w1.fma(x1, a11);
            FloatVector w2 = FloatVector.broadcast(F, panel[2 * KC + k]);
            a20 = w2.fma(x0, a20);
            a21 = w2.fma(x1, a21);
            FloatVector w3 = FloatVector.broadcast(F, panel[3 * KC + k]);
            a30 = w3.fma(x0, a30);
            a31 = w3.fma(x1, a31);
        }
        a00.intoArray(tile, 0);
        a01.intoArray(tile, VL);
        a10.intoArray(tile, NB);
        a11.intoArray(tile, NB + VL);
        a20.intoArray(tile, 2 * NB);
        a21.intoArray(tile, 2 * NB + VL);
        a30.intoArray(tile, 3 * NB);
        a31.intoArray(tile, 3 * NB + VL);
    }

    private static void micro8(float[] panel, int kc, float[] xt, int xo, int bp, float[] tile) {
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F);
        FloatVector a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F);
        FloatVector a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F);
        FloatVector a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F);
        FloatVector a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F);
        FloatVector a51 = FloatVector.zero(F);
        FloatVector a60 = FloatVector.zero(F);
        FloatVector a61 = FloatVector.zero(F);
        FloatVector a70 = FloatVector.zero(F);
        FloatVector a71 = FloatVector.zero(F);
        for (int k = 0, o = xo; k < kc; k++, o += bp) {
            FloatVector x0 = FloatVector.fromArray(F, xt, o);
            FloatVector x1 = FloatVector.fromArray(F, xt, o + VL);
            FloatVector w = FloatVector.broadcast(F, panel[k]);
            a00 = w.fma(x0, a00);
            a01 = w.fma(x1, a01);
            w = FloatVector.broadcast(F, panel[KC + k]);
            a10 = w.fma(x0, a10);
            a11 = w.fma(x1, a11);
            w = FloatVector.broadcast(F, panel[2 * KC + k]);
            a20 = w.fma(x0, a20);
            a21 = w.fma(x1, a21);
            w = FloatVector.broadcast(F, panel[3 * KC + k]);
            a30 = w.fma(x0, a30);
            a31 = w.fma(x1, a31);
            w = FloatVector.broadcast(F, panel[4 * KC + k]);
            a40 = w.fma(x0, a40);
            a41 = w.fma(x1, a41);
            w = FloatVector.broadcast(F, panel[5 * KC + k]);
            a50 = w.fma(x0, a50);
            a51 = w.fma(x1, a51);
            w = FloatVector.broadcast(F, panel[6 * KC + k]);
            a60 = w.fma(x0, a60);
            a61 = w.fma(x1, a61);
            w = FloatVector.broadcast(F, panel[7 * KC + k]);
            a70 = w.fma(x0, a70);
            a71 = w.fma(x1, a71);
        }
        a00.intoArray(tile, 0);
        a01.intoArray(tile, VL);
        a10.intoArray(tile, NB);
        a11.intoArray(tile, NB + VL);
        a20.intoArray(tile, 2 * NB);
        a21.intoArray(tile, 2 * NB + VL);
        a30.intoArray(tile, 3 * NB);
        a31.intoArray(tile, 3 * NB + VL);
        a40.intoArray(tile, 4 * NB);
        a41.intoArray(tile, 4 * NB + VL);
        a50.intoArray(tile, 5 * NB);
        a51.intoArray(tile, 5 * NB + VL);
        a60.intoArray(tile, 6 * NB);
        a61.intoArray(tile, 6 * NB + VL);
        a70.intoArray(tile, 7 * NB);
        a71.intoArray(tile, 7 * NB + VL);
    }

    private static void micro8x1(float[] panel, int kc, float[] xt, int xo, int bp, float[] tile) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        FloatVector a4 = FloatVector.zero(F);
        FloatVector a5 = FloatVector.zero(F);
        FloatVector a6 = FloatVector.zero(F);
        FloatVector a7 = FloatVector.zero(F);
        for (int k = 0, o = xo; k < kc; k++, o += bp) {
            FloatVector x0 = FloatVector.fromArray(F, xt, o);
            a0 = FloatVector.broadcast(F, panel[k]).fma(x0, a0);
            a1 = FloatVector.broadcast(F, panel[KC + k]).fma(x0, a1);
            a2 = FloatVector.broadcast(F, panel[2 * KC + k]).fma(x0, a2);
            a3 = FloatVector.broadcast(F, panel[3 * KC + k]).fma(x0, a3);
            a4 = FloatVector.broadcast(F, panel[4 * KC + k]).fma(x0, a4);
            a5 = FloatVector.broadcast(F, panel[5 * KC + k]).fma(x0, a5);
            a6 = FloatVector.broadcast(F, panel[6 * KC + k]).fma(x0, a6);
            a7 = FloatVector.broadcast(F, panel[7 * KC + k]).fma(x0, a7);
        }
        a0.intoArray(tile, 0);
        a1.intoArray(tile, NB);
        a2.intoArray(tile, 2 * NB);
        a3.intoArray(tile, 3 * NB);
        a4.intoArray(tile, 4 * NB);
        a5.intoArray(tile, 5 * NB);
        a6.intoArray(tile, 6 * NB);
        a7.intoArray(tile, 7 * NB);
    }
}
