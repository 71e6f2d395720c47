package dev.mpq.devices.kernels;

import static dev.mpq.devices.kernels.Lanes.F;
import static dev.mpq.devices.kernels.Lanes.I;
import static dev.mpq.devices.kernels.Lanes.VL;
import static jdk.incubator.vector.VectorOperators.ADD;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * Per-channel symmetric int8 weights ({@code int8}): {@code codes[r * cols + c]} row-major and one
 * fp32 scale per row, {@code w = code * rowScales[r]}. Besides the fp32-activation products of
 * every format, this type has the exact int8 x int8 products of the {@code int8:int8} precision
 * ({@link Int8Products}).
 */
public record Int8Weights(int rows, int cols, byte[] codes, float[] rowScales) implements WeightMatrix {

    public Int8Weights {
        Shapes.check("int8", rows, cols);
        Shapes.checkLength("int8 codes", codes.length, (long) rows * cols);
        Shapes.checkLength("int8 row scales", rowScales.length, rows);
    }

    @Override
    public String formatId() {
        return "int8";
    }

    @Override
    public long storageBytes() {
        return (long) codes.length + 4L * rows;
    }

    public int code(int row, int col) {
        return codes[row * cols + col];
    }

    @Override
    public float weight(int row, int col) {
        return codes[row * cols + col] * rowScales[row];
    }

    static IntVector widen(byte[] data, int offset) {
        return Lanes.widen(data, offset);
    }

    @Override
    public void decode(int row, int rowCount, int col, int count, float[] dst, int dstStride) {
        int full = count / VL * VL;
        for (int i = 0; i < rowCount; i++) {
            int base = (row + i) * cols + col;
            int out = i * dstStride;
            float scale = rowScales[row + i];
            for (int k = 0; k < full; k += VL) {
                Lanes.toFloat(widen(codes, base + k)).mul(scale).intoArray(dst, out + k);
            }
            for (int k = full; k < count; k++) {
                dst[out + k] = codes[base + k] * scale;
            }
        }
    }

    /** The raw codes as exact fp32 integers (no scale), for the exact int8 x int8 panels. */
    void decodeCodes(int row, int rowCount, int col, int count, float[] dst, int dstStride) {
        int full = count / VL * VL;
        for (int i = 0; i < rowCount; i++) {
            int base = (row + i) * cols + col;
            int out = i * dstStride;
            for (int k = 0; k < full; k += VL) {
                Lanes.toFloat(widen(codes, base + k)).intoArray(dst, out + k);
            }
            for (int k = full; k < count; k++) {
                dst[out + k] = codes[base + k];
            }
        }
    }

    @Override
    public void multiplyRows(float[] x, float[] y, int rowStart, int rowEnd) {
        int full = cols / (2 * VL) * (2 * VL);
        for (int r = rowStart; r < rowEnd; r++) {
            int base = r * cols;
            FloatVector scale = FloatVector.broadcast(F, rowScales[r]);
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            for (int c = 0; c < full; c += 2 * VL) {
                FloatVector w0 = Lanes.toFloat(widen(codes, base + c)).mul(scale);
                FloatVector w1 = Lanes.toFloat(widen(codes, base + c + VL)).mul(scale);
                acc0 = w0.fma(FloatVector.fromArray(F, x, c), acc0);
                acc1 = w1.fma(FloatVector.fromArray(F, x, c + VL), acc1);
            }
            float sum = acc0.add(acc1).reduceLanes(ADD);
            for (int c = full; c < cols; c++) {
                sum += codes[base + c] * rowScales[r] * x[c];
            }
            y[r] = sum;
        }
    }

    /**
     * Exact int8 x int8 matrix-vector sums of rows {@code [rowStart, rowEnd)}: weights widened lane
     * for lane to int32 and multiplied with the activation codes (already widened to int32), int32
     * accumulators. Exact while cols * 128 * 128 < 2^31 (cols below 131072).
     */
    public void multiplyExactRows(int[] xWide, int[] acc, int rowStart, int rowEnd) {
        int full = cols / (2 * VL) * (2 * VL);
        for (int r = rowStart; r < rowEnd; r++) {
            int base = r * cols;
            IntVector acc0 = IntVector.zero(I);
            IntVector acc1 = IntVector.zero(I);
            for (int c = 0; c < full; c += 2 * VL) {
                acc0 = widen(codes, base + c)
                        .mul(IntVector.fromArray(I, xWide, c))
                        .add(acc0);
                acc1 = widen(codes, base + c + VL)
                        .mul(IntVector.fromArray(I, xWide, c + VL))
                        .add(acc1);
            }
            int sum = acc0.add(acc1).reduceLanes(ADD);
            for (int c = full; c < cols; c++) {
                sum += codes[base + c] * xWide[c];
            }
            acc[r] = sum;
        }
    }
}
