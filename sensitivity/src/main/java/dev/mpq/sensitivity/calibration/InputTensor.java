package dev.mpq.sensitivity.calibration;

import java.util.Arrays;

/**
 * One model input of one calibration sample: its name, shape and elements (int64 or float32).
 *
 * @param longs int64 elements, or null
 * @param floats float32 elements, or null
 */
public record InputTensor(String name, long[] shape, long[] longs, float[] floats) {

    public InputTensor {
        shape = shape.clone();
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if ((longs == null) == (floats == null)) {
            throw new IllegalArgumentException("Input %s needs either int64 or float32 elements.".formatted(name));
        }
        int stored = longs != null ? longs.length : floats.length;
        if (stored != n) {
            throw new IllegalArgumentException("Input %s has shape %s (%d elements) but %d values."
                    .formatted(name, Arrays.toString(shape), n, stored));
        }
    }

    public static InputTensor ofLongs(String name, long[] shape, long[] values) {
        return new InputTensor(name, shape, values, null);
    }

    public static InputTensor ofFloats(String name, long[] shape, float[] values) {
        return new InputTensor(name, shape, null, values);
    }
}
