package dev.mpq.devices.kernels;

import static dev.mpq.devices.kernels.Lanes.F;
import static dev.mpq.devices.kernels.Lanes.VL;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.LSHL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * mxfp4 weights (OCP MX v1.0): E2M1 codes in the 4-bit {@link StripeLayout} (one 16-byte stripe =
 * one block of 32) and one E8M0 scale byte per block, {@code scales[r * blocksPerRow + c / 32]};
 * {@code w = e2m1(code) * 2^(scale - 127)}.
 */
public record MxFp4Weights(int rows, int cols, byte[] codes, byte[] scales) implements WeightMatrix {

    public static final int BLOCK = 32;

    public MxFp4Weights {
        Shapes.check("mxfp4", rows, cols);
        Shapes.checkLength("mxfp4 codes", codes.length, (long) rows * StripeLayout.BITS_4.rowBytes(cols));
        Shapes.checkLength("mxfp4 scales", scales.length, (long) rows * ((cols + BLOCK - 1) / BLOCK));
    }

    /** Packs 4-bit codes ({@code codes[r * cols + c]}, 0..15) and E8M0 scale codes. */
    public static MxFp4Weights pack(int rows, int cols, int[] codes, byte[] scales) {
        return new MxFp4Weights(rows, cols, Nibbles.pack(rows, cols, codes), scales);
    }

    @Override
    public String formatId() {
        return "mxfp4";
    }

    public int blocksPerRow() {
        return (cols + BLOCK - 1) / BLOCK;
    }

    @Override
    public long storageBytes() {
        return (long) codes.length + scales.length;
    }

    public int code(int row, int col) {
        return Nibbles.get(codes, cols, row, col);
    }

    @Override
    public float weight(int row, int col) {
        return E2m1.decode(code(row, col)) * E8m0.decode(scales[row * blocksPerRow() + col / BLOCK]);
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
                FloatVector scale = FloatVector.broadcast(F, E8m0.decode(scales[r * bpr + c / BLOCK]));
                for (int h = 0; h < 16; h += VL) {
                    IntVector q = Int8Weights.widen(codes, b + h);
                    E2m1.decodeTop(q.lanewise(LSHL, 28)).mul(scale).intoArray(dst, out + c + h);
                    E2m1.decodeTop(q.lanewise(LSHL, 24)).mul(scale).intoArray(dst, out + c + 16 + h);
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
            for (int c = 0, b = r * rowBytes, s = r * bpr; c < vectorCols; c += 32, b += 16, s++) {
                FloatVector scale = FloatVector.broadcast(F, E8m0.decode(scales[s]));
                for (int h = 0; h < 16; h += VL) {
                    IntVector q = Int8Weights.widen(codes, b + h);
                    FloatVector lo = E2m1.decodeTop(q.lanewise(LSHL, 28)).mul(scale);
                    FloatVector hi = E2m1.decodeTop(q.lanewise(LSHL, 24)).mul(scale);
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
