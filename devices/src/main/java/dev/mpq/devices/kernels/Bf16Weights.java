package dev.mpq.devices.kernels;

import static dev.mpq.devices.kernels.Lanes.F;
import static dev.mpq.devices.kernels.Lanes.VL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * bf16 weights, row-major ({@code codes[r * cols + c]}, the upper 16 bits of each fp32 value).
 * Vector decode: load shorts, widen to int lanes, shift left by 16, reinterpret as fp32.
 */
public record Bf16Weights(int rows, int cols, short[] codes) implements WeightMatrix {

    public Bf16Weights {
        Shapes.check("bf16", rows, cols);
        Shapes.checkLength("bf16 codes", codes.length, (long) rows * cols);
    }

    @Override
    public String formatId() {
        return "bf16";
    }

    @Override
    public long storageBytes() {
        return 2L * rows * cols;
    }

    @Override
    public float weight(int row, int col) {
        return Bf16.toFloat(codes[row * cols + col]);
    }

    private static FloatVector load(short[] codes, int offset) {
        IntVector wide = Lanes.widen(codes, offset);
        return wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    @Override
    public void decode(int row, int rowCount, int col, int count, float[] dst, int dstStride) {
        int full = count / VL * VL;
        for (int i = 0; i < rowCount; i++) {
            int base = (row + i) * cols + col;
            int out = i * dstStride;
            for (int k = 0; k < full; k += VL) {
                load(codes, base + k).intoArray(dst, out + k);
            }
            for (int k = full; k < count; k++) {
                dst[out + k] = Bf16.toFloat(codes[base + k]);
            }
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
                acc0 = load(codes, base + c).fma(FloatVector.fromArray(F, x, c), acc0);
                acc1 = load(codes, base + c + VL).fma(FloatVector.fromArray(F, x, c + VL), acc1);
            }
            float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
            for (int c = full; c < cols; c++) {
                sum += Bf16.toFloat(codes[base + c]) * x[c];
            }
            y[r] = sum;
        }
    }
}
