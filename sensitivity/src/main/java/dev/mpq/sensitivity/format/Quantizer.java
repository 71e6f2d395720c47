package dev.mpq.sensitivity.format;

import dev.mpq.core.NumericFormat;

/**
 * Quantize-then-dequantize ("fake quantization") of a weight matrix in one numeric format, exactly as
 * the format stores it.
 *
 * <p>Layout: {@code weights} is row-major with {@code rows} output channels of {@code cols} inputs
 * each (the reduction dimension). Per-channel scales are per row; groups and blocks (int groups,
 * MX blocks of 32, NVFP4 blocks of 16) run along a row; a row whose length is not a multiple of
 * the block size ends in a shorter block. Callers holding ONNX MatMul weights ([in, out]) transpose
 * them first.
 *
 * <p>Non-finite inputs: a block (the elements sharing one scale: a row, a group, an MX or NVFP4
 * block, or the whole tensor for tensor-scaled formats) that holds NaN or an infinity gets a NaN
 * scale and dequantizes to NaN throughout; every scale encoding used here (fp32, fp16, E8M0
 * 0xFF, E4M3 S.1111.111) has a NaN code. Element-wise references (bf16, fp16) keep NaN and
 * saturate infinities. An all-zero block has scale 0 (E8M0: 2^-127) and dequantizes to zeros.
 */
public sealed interface Quantizer
        permits IntQuantizer, FloatQuantizer, MxQuantizer, Nvfp4Quantizer, TernaryQuantizer, ReferenceQuantizer {

    /** The format this quantizer emulates. */
    NumericFormat format();

    /**
     * Writes Q(weights) into {@code out} (same layout, may not alias {@code weights}).
     *
     * @throws IllegalArgumentException when the arrays do not hold rows x cols elements
     */
    void fakeQuantize(float[] weights, int rows, int cols, float[] out);

    /** Sum over all elements of (Q(w) - w)^2, in double. */
    default double squaredError(float[] weights, int rows, int cols) {
        float[] out = new float[weights.length];
        fakeQuantize(weights, rows, cols, out);
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            double d = (double) out[i] - weights[i];
            sum += d * d;
        }
        return sum;
    }

    /** The quantizer of a catalogue format. */
    static Quantizer of(NumericFormat format) {
        return switch (format.family()) {
            case INT -> IntQuantizer.of(format);
            case FLOAT -> new FloatQuantizer(format, MiniFloat.of(format.exponentBits(), format.mantissaBits()));
            case MX ->
                new MxQuantizer(
                        format,
                        format.exponentBits() == 0
                                ? FixedPointElement.MXINT8
                                : MiniFloat.of(format.exponentBits(), format.mantissaBits()));
            case NVFP4 -> new Nvfp4Quantizer(format);
            case TERNARY -> new TernaryQuantizer(format);
            case REFERENCE ->
                new ReferenceQuantizer(
                        format,
                        format.elementBits() == 32 ? null : MiniFloat.of(format.exponentBits(), format.mantissaBits()));
        };
    }

    /** Checks the shape arguments of {@link #fakeQuantize}. */
    static void checkShape(NumericFormat format, float[] weights, int rows, int cols, float[] out) {
        if (rows <= 0 || cols <= 0 || (long) rows * cols != weights.length || out.length != weights.length) {
            throw new IllegalArgumentException(
                    "Quantizing %s: %d x %d does not match %d weights and an output of %d; pass rows x cols elements."
                            .formatted(format.id(), rows, cols, weights.length, out.length));
        }
        if (out == weights) {
            throw new IllegalArgumentException(
                    "Quantizing %s: the output must not be the input array.".formatted(format.id()));
        }
    }

    /** Fills out[from, to) with NaN. */
    static void poison(float[] out, int from, int to) {
        java.util.Arrays.fill(out, from, to, Float.NaN);
    }
}
