package dev.mpq.sensitivity.format;

import java.util.List;

/**
 * A small binary floating-point element format: sign, {@code exponentBits}, {@code mantissaBits}, an
 * exponent bias, and how the top exponent is used.
 *
 * <p>Rounding: round to nearest, ties to even; values (and infinities) beyond the largest finite
 * value saturate to it (the "satfinite" conversion of the OCP FP8 specification, also used for
 * FP16/BF16 here so that every format saturates the same way). NaN stays NaN where the format has a
 * NaN code; FP6 and FP4 have none, so {@link #round} returns NaN and {@link #encode} refuses it (the
 * quantizers never get there: a block holding NaN gets a NaN scale, see {@link Quantizer}).
 *
 * @param name lower-case name, e.g. {@code e4m3}
 * @param exponentBits exponent field width
 * @param mantissaBits mantissa field width
 * @param bias exponent bias
 * @param special how the all-ones exponent is used
 */
public final class MiniFloat implements Element {

    /** Meaning of the largest exponent field. */
    public enum Special {
        /** All codes are finite numbers (OCP FP6 E3M2/E2M3, FP4 E2M1). */
        NONE,
        /** Only S.1111.111 is NaN, no infinities (OCP FP8 E4M3 "FN"). */
        NAN_ONLY,
        /** IEEE 754: all-ones exponent = infinity (mantissa 0) or NaN (FP8 E5M2, FP16, BF16). */
        IEEE
    }

    public static final MiniFloat E4M3 = new MiniFloat("e4m3", 4, 3, 7, Special.NAN_ONLY);
    public static final MiniFloat E5M2 = new MiniFloat("e5m2", 5, 2, 15, Special.IEEE);
    public static final MiniFloat E3M2 = new MiniFloat("e3m2", 3, 2, 3, Special.NONE);
    public static final MiniFloat E2M3 = new MiniFloat("e2m3", 2, 3, 1, Special.NONE);
    public static final MiniFloat E2M1 = new MiniFloat("e2m1", 2, 1, 1, Special.NONE);
    public static final MiniFloat FP16 = new MiniFloat("fp16", 5, 10, 15, Special.IEEE);
    public static final MiniFloat BF16 = new MiniFloat("bf16", 8, 7, 127, Special.IEEE);

    public static final List<MiniFloat> ALL = List.of(E4M3, E5M2, E3M2, E2M3, E2M1, FP16, BF16);

    /** The predefined element with these field widths (e4m3, e5m2, e3m2, e2m3, e2m1, fp16, bf16). */
    public static MiniFloat of(int exponentBits, int mantissaBits) {
        for (MiniFloat f : ALL) {
            if (f.exponentBits == exponentBits && f.mantissaBits == mantissaBits) {
                return f;
            }
        }
        throw new IllegalArgumentException("No float element with %d exponent and %d mantissa bits; known: %s."
                .formatted(
                        exponentBits,
                        mantissaBits,
                        ALL.stream().map(MiniFloat::name).toList()));
    }

    private final String name;
    private final int exponentBits;
    private final int mantissaBits;
    private final int bias;
    private final Special special;
    private final double maxFinite;
    private final int minNormalExponent;

    public MiniFloat(String name, int exponentBits, int mantissaBits, int bias, Special special) {
        if (exponentBits < 1 || mantissaBits < 0 || exponentBits + mantissaBits > 15) {
            throw new IllegalArgumentException(
                    "Float element (%s) has %d exponent and %d mantissa bits; use 1..8 and 0..10."
                            .formatted(name, exponentBits, mantissaBits));
        }
        this.name = name;
        this.exponentBits = exponentBits;
        this.mantissaBits = mantissaBits;
        this.bias = bias;
        this.special = special;
        this.minNormalExponent = 1 - bias;
        int topField = (1 << exponentBits) - 1;
        this.maxFinite = switch (special) {
            case NONE -> (2 - Math.scalb(1.0, -mantissaBits)) * Math.scalb(1.0, topField - bias);
            // the top code S.1111.111 is NaN, so the largest mantissa there is 1...10
            case NAN_ONLY -> (2 - Math.scalb(1.0, 1 - mantissaBits)) * Math.scalb(1.0, topField - bias);
            case IEEE -> (2 - Math.scalb(1.0, -mantissaBits)) * Math.scalb(1.0, topField - 1 - bias);
        };
    }

    @Override
    public String name() {
        return name;
    }

    public int exponentBits() {
        return exponentBits;
    }

    public int mantissaBits() {
        return mantissaBits;
    }

    public int bias() {
        return bias;
    }

    public Special special() {
        return special;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Number of codes (2^(1 + exponentBits + mantissaBits)). */
    public int codeCount() {
        return 1 << (1 + exponentBits + mantissaBits);
    }

    /** The exponent of the smallest normal number, 1 - bias. */
    public int minNormalExponent() {
        return 1 - bias;
    }

    @Override
    public double maxFinite() {
        int topField = (1 << exponentBits) - 1;
        return switch (special) {
            case NONE -> (2 - Math.scalb(1.0, -mantissaBits)) * Math.scalb(1.0, topField - bias);
            // the top code S.1111.111 is NaN, so the largest mantissa there is 1...10
            case NAN_ONLY -> (2 - Math.scalb(1.0, 1 - mantissaBits)) * Math.scalb(1.0, topField - bias);
            case IEEE -> (2 - Math.scalb(1.0, -mantissaBits)) * Math.scalb(1.0, topField - 1 - bias);
        };
    }

    @Override
    public int emax() {
        return Math.getExponent(maxFinite());
    }

    @Override
    public double round(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a >= maxFinite) {
            return Math.copySign(maxFinite, x);
        }
        if (a == 0) {
            return x;
        }
        // quantum of the binade holding a (subnormals share the quantum of the smallest normal binade);
        // exponents here stay within double's normal range, so the power of two is built from its bits
        int e = Math.max(Math.getExponent(a), minNormalExponent) - mantissaBits;
        double quantum = Double.longBitsToDouble((long) (e + 1023) << 52);
        double inverse = Double.longBitsToDouble((long) (1023 - e) << 52);
        // a * (1 / quantum) is exact (a power of two); rint ties to even
        return Math.copySign(Math.rint(a * inverse) * quantum, x);
    }

    /** The code of round(x): sign bit, exponent field, mantissa field. NaN only where the format has a NaN code. */
    public int encode(double x) {
        int signBit = 1 << (exponentBits + mantissaBits);
        if (Double.isNaN(x)) {
            return switch (special) {
                case NONE ->
                    throw new IllegalArgumentException(
                            "Element format %s has no NaN code; a block holding NaN gets a NaN scale instead."
                                    .formatted(name));
                case NAN_ONLY -> signBit - 1;
                // the canonical quiet NaN: top exponent, mantissa MSB set
                case IEEE -> (((1 << exponentBits) - 1) << mantissaBits) | (1 << (mantissaBits - 1));
            };
        }
        double r = round(x);
        int sign = (Double.doubleToRawLongBits(r) < 0) ? signBit : 0;
        double a = Math.abs(r);
        if (a == 0) {
            return sign;
        }
        int e = Math.getExponent(a);
        if (e < minNormalExponent()) {
            int mantissa = (int) (a / Math.scalb(1.0, minNormalExponent() - mantissaBits));
            return sign | mantissa;
        }
        int mantissa = (int) (a / Math.scalb(1.0, e - mantissaBits)) - (1 << mantissaBits);
        return sign | ((e + bias) << mantissaBits) | mantissa;
    }

    /** The value of a code (NaN and infinities where the format has them). */
    public double decode(int code) {
        if (code < 0 || code >= codeCount()) {
            throw new IllegalArgumentException("Code %d is outside %s's %d codes.".formatted(code, name, codeCount()));
        }
        int mantissaMask = (1 << mantissaBits) - 1;
        int topField = (1 << exponentBits) - 1;
        boolean negative = (code >> (exponentBits + mantissaBits)) != 0;
        int field = (code >> mantissaBits) & topField;
        int mantissa = code & mantissaMask;
        double value;
        if (special == Special.NAN_ONLY && field == topField && mantissa == mantissaMask) {
            return Double.NaN;
        } else if (special == Special.IEEE && field == topField) {
            value = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (field == 0) {
            value = mantissa * Math.scalb(1.0, minNormalExponent() - mantissaBits);
        } else {
            value = ((1 << mantissaBits) + mantissa) * Math.scalb(1.0, field - bias - mantissaBits);
        }
        return negative ? -value : value;
    }
}
