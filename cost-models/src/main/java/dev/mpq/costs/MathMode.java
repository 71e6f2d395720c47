package dev.mpq.costs;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A class of matrix-multiply instructions a device executes at its own peak rate: the operand type of
 * the tensor cores (GPUs), matrix engines (AMX) or vector units (AVX2/AVX-512). A precision runs in one
 * mode; the device spec gives each mode's dense peak in operations per second (one multiply-accumulate
 * = two operations, as vendors count TFLOPS and TOPS).
 */
public enum MathMode {
    FP32("fp32", 32),
    TF32("tf32", 19),
    FP16("fp16", 16),
    BF16("bf16", 16),
    /** E4M3 and E5M2 operands. */
    FP8("fp8", 8),
    /** E3M2 and E2M3 operands (Blackwell runs them at the FP8 rate). */
    FP6("fp6", 6),
    /** Block-scaled E2M1 operands (NVFP4, MXFP4): Blackwell data-centre parts only. */
    FP4("fp4", 4),
    INT8("int8", 8),
    INT4("int4", 4);

    private final String id;
    private final int operandBits;

    MathMode(String id, int operandBits) {
        this.id = id;
        this.operandBits = operandBits;
    }

    /** The lower-case id used in the device catalogue and in documents. */
    public String id() {
        return id;
    }

    /** Bits of one operand element. */
    public int operandBits() {
        return operandBits;
    }

    /** Parses a mode id such as {@code int8}; the message lists the accepted ids. */
    public static MathMode fromId(String id) {
        for (MathMode mode : values()) {
            if (mode.id.equals(id)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("Unknown math mode '%s'; use one of %s."
                .formatted(id, Arrays.stream(values()).map(MathMode::id).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return id;
    }
}
