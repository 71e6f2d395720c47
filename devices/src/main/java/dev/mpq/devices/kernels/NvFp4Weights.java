package dev.mpq.devices.kernels;

import static dev.mpq.devices.kernels.Lanes.F;
import static dev.mpq.devices.kernels.Lanes.VL;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.LSHL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * nvfp4 weights: E2M1 codes in the 4-bit {@link StripeLayout} (one 16-byte stripe = two blocks of
 * 16: the low nibbles are the first block, the high nibbles the second), one E4M3 scale byte per
 * block, {@code blockScales[r * blocksPerRow + c / 16]}, and one fp32 tensor scale;
 * {@code w = e2m1(code) * (e4m3(blockScale) * tensorScale)}: the effective block scale is rounded to
 * fp32 first, as {@code sensitivity}'s quantizer (NVIDIA Model Optimizer's recipe) computes it.
 */
public record NvFp4Weights(int rows, int cols, byte[] codes, byte[] blockScales, float tensorScale)
        implements WeightMatrix {

    public static final int BLOCK = 16;

    public NvFp4Weights {
        Shapes.check("nvfp4", rows, cols);
        Shapes.checkLength("nvfp4 codes", codes.length, (long) rows * StripeLayout.BITS_4.rowBytes(cols));
        Shapes.checkLength("nvfp4 block scales", blockScales.length, (long) rows * ((cols + BLOCK - 1) / BLOCK));
    }

    /** Packs 4-bit codes ({@code codes[r * cols + c]}, 0..15), E4M3 block scale codes and the tensor scale. */
    public static NvFp4Weights pack(int rows, int cols, int[] codes, byte[] blockScales, float tensorScale) {
        return new NvFp4Weights(rows, cols, Nibbles.pack(rows, cols, codes), blockScales, tensorScale);
    }

    @Override
    public String formatId() {
        return "nvfp4";
    }

    public int blocksPerRow() {
        return (cols + BLOCK - 1) / BLOCK;
    }

    @Override
    public long storageBytes() {
        return (long) codes.length + blockScales.length + 4;
    }

    public int code(int row, int col) {
        return Nibbles.get(codes, cols, row, col);
    }

    @Override
    public float weight(int row, int col) {
        return E2m1.decode(code(row, col)) * blockScale(row * blocksPerRow() + col / BLOCK);
    }

    /** The effective scale of block {@code index}: e4m3(code) * tensorScale, rounded to fp32. */
    public float blockScale(int index) {
        return E4m3.decode(blockScales[index]) * tensorScale;
    }

    @Override
    public void decode(int row, int rowCount, int col, int count, float[] dst, int dstStride) {
        int end = col + count;
        int vectorEnd = Math.min(end, cols / 32 * 32);
        int rowBytes = StripeLayout.BITS_4.rowBytes(cols);
        int bpr = blocksPerRow();
        for (int i = 0; i < rowCount; i++) {
            int r = row + i;
            int out = i * dstStride - col;
            int c = col;
            for (; c + 32 <= vectorEnd; c += 32) {
                int b = r * rowBytes + c / 2;
                int s = r * bpr + c / BLOCK;
                FloatVector scaleLo = FloatVector.broadcast(F, blockScale(s));
                FloatVector scaleHi = FloatVector.broadcast(F, blockScale(s + 1));
                for (int h = 0; h < 16; h += VL) {
                    IntVector q = Int8Weights.widen(codes, b + h);
                    E2m1.decodeTop(q.lanewise(LSHL, 28)).mul(scaleLo).intoArray(dst, out + c + h);
                    E2m1.decodeTop(q.lanewise(LSHL, 24)).mul(scaleHi).intoArray(dst, out + c + 16 + h);
                }
            }
            for (; c < end; c++) {
                dst[out + c] = weight(r, c);
            }
        }
    }

    @Override
    public void multiplyRows(float[] x, float[] y, int rowStart, int rowEnd) {
        int vectorCols = cols / 32 * 32;
        int rowBytes = StripeLayout.BITS_4.rowBytes(cols);
        int bpr = blocksPerRow();
        for (int r = rowStart; r < rowEnd; r++) {
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            for (int c = 0, b = r * rowBytes, s = r * bpr; c < vectorCols; c += 32, b += 16, s += 2) {
                FloatVector scaleLo = FloatVector.broadcast(F, blockScale(s));
                FloatVector scaleHi = FloatVector.broadcast(F, blockScale(s + 1));
                for (int h = 0; h < 16; h += VL) {
                    IntVector q = Int8Weights.widen(codes, b + h);
                    FloatVector lo = E2m1.decodeTop(q.lanewise(LSHL, 28)).mul(scaleLo);
                    FloatVector hi = E2m1.decodeTop(q.lanewise(LSHL, 24)).mul(scaleHi);
                    acc0 = lo.fma(FloatVector.fromArray(F, x, c + h), acc0);
                    acc1 = hi.fma(FloatVector.fromArray(F, x, c + 16 + h), acc1);
                }
            }
            float sum = acc0.add(acc1).reduceLanes(ADD);
            for (int c = vectorCols; c < cols; c++) {
                sum += weight(r, c) * x[c];
            }
            y[r] = sum;
        }
    }
}
