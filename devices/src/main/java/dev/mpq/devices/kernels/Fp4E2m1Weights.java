package dev.mpq.devices.kernels;

import static dev.mpq.devices.kernels.Lanes.F;
import static dev.mpq.devices.kernels.Lanes.VL;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.LSHL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * fp4-e2m1 weights: 4-bit E2M1 codes in the 4-bit {@link StripeLayout} (row-major, whole stripes of
 * 32 per row) and one fp32 scale per row; {@code w = e2m1(code) * rowScales[r]}.
 */
public record Fp4E2m1Weights(int rows, int cols, byte[] codes, float[] rowScales) implements WeightMatrix {

    public Fp4E2m1Weights {
        Shapes.check("fp4-e2m1", rows, cols);
        Shapes.checkLength("fp4-e2m1 codes", codes.length, (long) rows * StripeLayout.BITS_4.rowBytes(cols));
        Shapes.checkLength("fp4-e2m1 row scales", rowScales.length, rows);
    }

    /** Packs 4-bit codes ({@code codes[r * cols + c]}, 0..15). */
    public static Fp4E2m1Weights pack(int rows, int cols, int[] codes, float[] rowScales) {
        return new Fp4E2m1Weights(rows, cols, Nibbles.pack(rows, cols, codes), rowScales);
    }

    @Override
    public String formatId() {
        return "fp4-e2m1";
    }

    @Override
    public long storageBytes() {
        return (long) codes.length + 4L * rows;
    }

    public int code(int row, int col) {
        return Nibbles.get(codes, cols, row, col);
    }

    @Override
    public float weight(int row, int col) {
        return E2m1.decode(code(row, col)) * rowScales[row];
    }

    @Override
    public void decode(int row, int rowCount, int col, int count, float[] dst, int dstStride) {
        int end = col + count;
        int vectorEnd = Math.min(end, cols / 32 * 32);
        int rowBytes = StripeLayout.BITS_4.rowBytes(cols);
        for (int i = 0; i < rowCount; i++) {
            int r = row + i;
            int out = i * dstStride - col;
            FloatVector scale = FloatVector.broadcast(F, rowScales[r]);
            int c = col;
            for (; c + 32 <= vectorEnd; c += 32) {
                int b = r * rowBytes + c / 2;
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
        for (int r = rowStart; r < rowEnd; r++) {
            FloatVector scale = FloatVector.broadcast(F, rowScales[r]);
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            for (int c = 0, b = r * rowBytes; c < vectorCols; c += 32, b += 16) {
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
