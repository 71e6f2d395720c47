package dev.mpq.devices.kernels;

/**
 * int8 activations for the {@code int8:int8} precision: per batch row, symmetric, scale = absmax /
 * 127, {@code code = rint(x / scale)} clamped to -127..127; {@code codes[b * cols + c]}.
 */
public record Int8Activations(int batch, int cols, byte[] codes, float[] scales) {

    public Int8Activations {
        if (batch < 1 || cols < 1) {
            throw new IllegalArgumentException(
                    "int8 activations of %d x %d; batch and cols must be at least 1.".formatted(batch, cols));
        }
        Shapes.checkLength("int8 activation codes", codes.length, (long) batch * cols);
        Shapes.checkLength("int8 activation scales", scales.length, batch);
    }

    /** Dynamic per-row quantization of {@code x[b * cols + c]}; an all-zero row gets scale 1. */
    public static Int8Activations quantize(float[] x, int batch, int cols) {
        byte[] codes = new byte[batch * cols];
        float[] scales = new float[batch];
        for (int b = 0; b < batch; b++) {
            float absMax = 0;
            for (int c = 0; c < cols; c++) {
                absMax = Math.max(absMax, Math.abs(x[b * cols + c]));
            }
            if (!Float.isFinite(absMax)) {
                throw new IllegalArgumentException(
                        "Activation row %d holds %s; int8 activations need finite values.".formatted(b, absMax));
            }
            float scale = absMax > 0 ? absMax / 127f : 1f;
            scales[b] = scale;
            for (int c = 0; c < cols; c++) {
                long q = Math.round(Math.rint(x[b * cols + c] / scale));
                codes[b * cols + c] = (byte) Math.max(-127, Math.min(127, q));
            }
        }
        return new Int8Activations(batch, cols, codes, scales);
    }
}
