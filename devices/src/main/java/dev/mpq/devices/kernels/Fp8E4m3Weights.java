package dev.mpq.devices.kernels;

import static dev.mpq.devices.kernels.Lanes.F;
import static dev.mpq.devices.kernels.Lanes.VL;
import static jdk.incubator.vector.VectorOperators.ADD;

import jdk.incubator.vector.FloatVector;

/**
 * fp8-e4m3 weights: one E4M3 code per weight, row-major ({@code codes[r * cols + c]}), one fp32
 * scale per row; {@code w = e4m3(code) * rowScales[r]}.
 */
public record Fp8E4m3Weights(int rows, int cols, byte[] codes, float[] rowScales) implements WeightMatrix {

    public Fp8E4m3Weights {
        Shapes.check("fp8-e4m3", rows, cols);
        Shapes.checkLength("fp8-e4m3 codes", codes.length, (long) rows * cols);
        Shapes.checkLength("fp8-e4m3 row scales", rowScales.length, rows);
    }

    @Override
    public String formatId() {
        return "fp8-e4m3";
    }

    @Override
    public long storageBytes() {
        return (long) codes.length + 4L * rows;
    }

    @Override
    public float weight(int row, int col) {
        return E4m3.decode(codes[row * cols + col]) * rowScales[row];
    }

    private FloatVector load(int offset, FloatVector scale) {
        return E4m3.decodeLow(Int8Weights.widen(codes, offset)).mul(scale);
    }

    @Override
    public void decode(int row, int rowCount, int col, int count, float[] dst, int dstStride) {
        int full = count / VL * VL;
        for (int i = 0; i < rowCount; i++) {
            int base = (row + i) * cols + col;
            int out = i * dstStride;
            FloatVector scale = FloatVector.broadcast(F, rowScales[row + i]);
            for (int k = 0; k < full; k += VL) {
                load(base + k, scale).intoArray(dst, out + k);
            }
            for (int k = full; k < count; k++) {
                dst[out + k] = weight(row + i, col + k);
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
                acc0 = load(base + c, scale).fma(FloatVector.fromArray(F, x, c), acc0);
                acc1 = load(base + c + VL, scale).fma(FloatVector.fromArray(F, x, c + VL), acc1);
            }
            float sum = acc0.add(acc1).reduceLanes(ADD);
            for (int c = full; c < cols; c++) {
                sum += weight(r, c) * x[c];
            }
            y[r] = sum;
        }
    }
}
