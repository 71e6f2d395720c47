package dev.mpq.costs;

import dev.mpq.core.NumericFormat;
import dev.mpq.core.Precision;

/**
 * Exact memory and bit operations of one layer (CONTRACTS.md section 3: memory counts effective
 * bits, scales and zero points included; BOPs count element bits).
 *
 * <p>Bytes = packed elements (ceil(parameters x element bits / 8)) + scales + zero points:
 *
 * <ul>
 *   <li>int b per channel: one fp32 scale per row; {@code -asym} adds one b-bit zero point per row
 *       (packed).
 *   <li>int b group g: one fp16 scale per group of g along each row (ceil(row length / g) groups per
 *       row); {@code -asym} adds one b-bit zero point per group (packed).
 *   <li>fp8/fp6/fp4: one fp32 scale per row.
 *   <li>MX: one E8M0 byte per block of 32 along each row. NVFP4: one E4M3 byte per block of 16 along
 *       each row plus one fp32 tensor scale.
 *   <li>ternary: 2-bit packed elements (the storage kernels read; 1.58 bits is the information
 *       content) plus one fp32 tensor scale.
 *   <li>bf16/fp16/fp32: elements only.
 * </ul>
 */
public final class LayerAccounting {

    private LayerAccounting() {}

    /** Exact bytes of a layer's weights in {@code format}. */
    public static long weightBytes(LayerShape shape, NumericFormat format) {
        return weightBytes(shape.rows(), shape.rowLength(), format);
    }

    /** Exact bytes of a {@code rows x rowLength} weight matrix in {@code format}. */
    public static long weightBytes(long rows, long rowLength, NumericFormat format) {
        if (rows <= 0 || rowLength < 0) {
            throw new IllegalArgumentException(
                    "A weight matrix of %d rows x %d elements is not valid; rows must be > 0."
                            .formatted(rows, rowLength));
        }
        long elements = Math.multiplyExact(rows, rowLength);
        long elementBytes = ceilDiv(Math.multiplyExact(elements, (long) format.elementBits()), 8);
        int scaleBytes = format.scale().bits() / 8;
        return switch (format.family()) {
            case REFERENCE -> elementBytes;
            case INT -> {
                long scales = format.blockSize() == 0 ? rows : rows * ceilDiv(rowLength, format.blockSize());
                long zeroPoints = format.asymmetric() ? ceilDiv(scales * format.elementBits(), 8) : 0;
                yield elementBytes + scales * scaleBytes + zeroPoints;
            }
            case FLOAT -> elementBytes + rows * scaleBytes;
            case MX -> elementBytes + rows * ceilDiv(rowLength, format.blockSize()) * scaleBytes;
            case NVFP4 -> elementBytes + rows * ceilDiv(rowLength, format.blockSize()) * scaleBytes + 4;
            case TERNARY -> elementBytes + scaleBytes;
        };
    }

    /**
     * Bit operations per sample: MACs x weight element bits x activation element bits (16 for
     * weight-only precisions, as {@link Precision#activationBits()} defines).
     */
    public static long bops(LayerShape shape, Precision precision) {
        return Math.multiplyExact(
                shape.macsPerSample(), (long) precision.weight().elementBits() * precision.activationBits());
    }

    /** Storage bits of one activation element: effective bits (block scales included). */
    public static double activationStorageBits(NumericFormat format) {
        return format.bitsPerWeight();
    }

    static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
