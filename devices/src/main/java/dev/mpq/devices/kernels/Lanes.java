package dev.mpq.devices.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every kernel uses: the widest float shape the JVM prefers (8 lanes on AVX2,
 * 16 on AVX-512), capped at 16 lanes so that one 16-byte stripe fills at most one vector, and byte
 * and short species with the same lane count (so a byte load widens lane for lane). The system
 * property {@code mpq.vector.bits=256} forces the AVX2 shape on a wider machine (tests use it to
 * cover both shapes).
 */
public final class Lanes {

    /** Float lanes per vector: 8 or 16. */
    public static final int VL;

    public static final VectorSpecies<Float> F;
    public static final VectorSpecies<Integer> I;
    public static final VectorSpecies<Byte> B;
    public static final VectorSpecies<Short> S;

    static {
        int preferredBits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        int requested = Integer.getInteger("mpq.vector.bits", preferredBits);
        int bits = Math.min(requested, preferredBits) >= 512 ? 512 : 256;
        VL = bits / 32;
        F = bits == 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
        I = bits == 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
        B = VL == 8 ? ByteVector.SPECIES_64 : ByteVector.SPECIES_128;
        S = VL == 8 ? ShortVector.SPECIES_128 : ShortVector.SPECIES_256;
    }

    private Lanes() {}

    /** A one-line description for benchmark headers, e.g. {@code 16 x fp32 (512-bit)}. */
    public static String describe() {
        return VL + " x fp32 (" + F.vectorBitSize() + "-bit)";
    }

    /**
     * {@link #VL} bytes from {@code data[offset]}, sign-extended to int lanes. (A conversion with a
     * constant operator: JDK 17 does not intrinsify {@code castShape}, which looks its operator up.)
     */
    public static IntVector widen(byte[] data, int offset) {
        return (IntVector) ByteVector.fromArray(B, data, offset).convertShape(VectorOperators.B2I, I, 0);
    }

    /** {@link #VL} shorts from {@code data[offset]}, sign-extended to int lanes. */
    public static IntVector widen(short[] data, int offset) {
        return (IntVector) ShortVector.fromArray(S, data, offset).convertShape(VectorOperators.S2I, I, 0);
    }

    /** Int lanes converted to fp32 (exact below 2^24). */
    public static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }
}
