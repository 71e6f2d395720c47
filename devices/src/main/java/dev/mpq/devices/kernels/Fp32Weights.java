package dev.mpq.devices.kernels;

import static dev.mpq.devices.kernels.Lanes.F;
import static dev.mpq.devices.kernels.Lanes.VL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Unquantized fp32 weights, row-major ({@code values[r * cols + c]}): the reference format. */
public record Fp32Weights(int rows, int cols, float[] values) implements WeightMatrix {

    public Fp32Weights {
        Shapes.check("fp32", rows, cols);
        Shapes.checkLength("fp32 values", values.length, (long) rows * cols);
    }

    @Override
    public String formatId() {
        return "fp32";
    }

    @Override
    public long storageBytes() {
        return 4L * rows * cols;
    }

    @Override
    public float weight(int row, int col) {
        return values[row * cols + col];
    }

    @Override
    public void decode(int row, int rowCount, int col, int count, float[] dst, int dstStride) {
        for (int i = 0; i < rowCount; i++) {
            System.arraycopy(values, (row + i) * cols + col, dst, i * dstStride, count);
        }
    }

    @Override
    public void multiplyRows(float[] x, float[] y, int rowStart, int rowEnd) {
        int full = cols / (2 * VL) * (2 * VL);
        for (int r = rowStart; r < rowEnd; r++) {
            int base = r * cols;
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            for (int c = 0; c < full; c += 2 * VL) {
                acc0 = FloatVector.fromArray(F, values, base + c).fma(FloatVector.fromArray(F, x, c), acc0);
                acc1 = FloatVector.fromArray(F, values, base + c + VL).fma(FloatVector.fromArray(F, x, c + VL), acc1);
            }
            float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
            for (int c = full; c < cols; c++) {
                sum += values[base + c] * x[c];
            }
            y[r] = sum;
        }
    }
}
