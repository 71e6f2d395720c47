package dev.mpq.sensitivity.onnx;

/**
 * A layer's weights as the quantizers see them: row-major, {@code rows} output channels of {@code
 * cols} inputs (for a conv, inputs = in_channels / group x kernel positions).
 */
public record WeightMatrix(float[] data, int rows, int cols) {

    public WeightMatrix {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("A %d x %d weight matrix needs %d values, got %d."
                    .formatted(rows, cols, (long) rows * cols, data.length));
        }
    }
}
