package dev.mpq.core;

/**
 * A numeric format for weights or activations, described as data: its element encoding, its block
 * layout and its scale. Quantize/dequantize lives in the {@code sensitivity} module; this record is
 * what every module agrees on.
 *
 * @param id the lower-case id of CONTRACTS.md section 3, e.g. {@code int4-g128}, {@code nvfp4}
 * @param family how elements are encoded
 * @param elementBits bits of one element, without scales (what BOPs count)
 * @param exponentBits exponent bits of a floating-point element (0 for integers)
 * @param mantissaBits mantissa bits of a floating-point element (0 for integers)
 * @param blockSize elements sharing one scale; 0 = one scale per output channel (row)
 * @param scale how the block (or channel) scale is stored
 * @param asymmetric whether a zero point is stored beside the scale
 * @param bitsPerWeight effective storage bits per element including scales and zero points
 *     (what memory counts); per-channel formats count their per-row scale as negligible here, exact
 *     byte counts add it per row
 */
public record NumericFormat(
        String id,
        Family family,
        int elementBits,
        int exponentBits,
        int mantissaBits,
        int blockSize,
        Scale scale,
        boolean asymmetric,
        double bitsPerWeight) {

    /** How elements are encoded. */
    public enum Family {
        /** Two's-complement integers with a real-valued scale (and optional zero point). */
        INT,
        /** Small floating-point elements (FP8/FP6/FP4) with a per-channel fp32 scale. */
        FLOAT,
        /** OCP Microscaling v1.0: blocks of 32 sharing an E8M0 power-of-two scale. */
        MX,
        /** NVIDIA NVFP4: E2M1 elements, blocks of 16 with an E4M3 scale, an fp32 tensor scale. */
        NVFP4,
        /** Ternary {-1, 0, 1} times an absmean tensor scale. */
        TERNARY,
        /** Unquantized reference formats (bf16, fp16, fp32). */
        REFERENCE
    }

    /** How a block or channel scale is stored. */
    public enum Scale {
        NONE(0),
        FP16(16),
        FP32(32),
        E8M0(8),
        E4M3(8);

        private final int bits;

        Scale(int bits) {
            this.bits = bits;
        }

        public int bits() {
            return bits;
        }
    }

    public NumericFormat {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("A numeric format needs an id.");
        }
        if (elementBits < 1 || elementBits > 32) {
            throw new IllegalArgumentException(
                    "Format (%s) has %d element bits; use 1..32.".formatted(id, elementBits));
        }
        if (blockSize < 0) {
            throw new IllegalArgumentException(
                    "Format (%s) has block size %d; use 0 (per channel) or a positive size.".formatted(id, blockSize));
        }
        if (!(bitsPerWeight > 0)) {
            throw new IllegalArgumentException(
                    "Format (%s) has %s bits per weight; it must be positive.".formatted(id, bitsPerWeight));
        }
    }

    /** True for a floating-point element encoding (FP8/6/4, the MX float formats, NVFP4). */
    public boolean isFloatElement() {
        return exponentBits > 0;
    }

    /** True when the format stores no quantization at all (bf16, fp16, fp32). */
    public boolean isReference() {
        return family == Family.REFERENCE;
    }

    @Override
    public String toString() {
        return id;
    }
}
