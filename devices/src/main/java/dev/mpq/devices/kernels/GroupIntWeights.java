package dev.mpq.devices.kernels;

import static dev.mpq.devices.kernels.Lanes.F;
import static dev.mpq.devices.kernels.Lanes.VL;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.AND;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * Symmetric group-wise integer weights {@code int{b}-g{g}} (b = 2, 3, 4, 8; g = 32, 64, 128): a
 * b-bit two's-complement code per weight and an fp16 scale per group of g consecutive weights of a
 * row; {@code w = code * scale}.
 *
 * <p>Layout: codes of b = 2, 4, 8 in the {@link StripeLayout} of b bits, row-major, each row whole
 * stripes ({@code packed}); b = 3 as two planes of the same shape, the low two bits of each code in
 * a 2-bit layout ({@code packed}) and the top (sign) bit in a 1-bit layout ({@code highBits}, empty
 * otherwise), so {@code code = low - 4 * high}. Scales: {@code scales[r * groupsPerRow + c / g]},
 * fp16 codes; a last partial group has its own scale.
 */
public record GroupIntWeights(int bits, int group, int rows, int cols, byte[] packed, byte[] highBits, short[] scales)
        implements WeightMatrix {

    public GroupIntWeights {
        if (bits != 2 && bits != 3 && bits != 4 && bits != 8) {
            throw new IllegalArgumentException(
                    "Group-wise integer weights with %d bits; the kernels cover 2, 3, 4 and 8.".formatted(bits));
        }
        Shapes.checkGroup("int" + bits, group);
        Shapes.check("int" + bits + "-g" + group, rows, cols);
        Shapes.checkLength(
                "int" + bits + " packed codes",
                packed.length,
                (long) rows * lowLayout(bits).rowBytes(cols));
        Shapes.checkLength(
                "int" + bits + " high-bit plane",
                highBits.length,
                bits == 3 ? (long) rows * StripeLayout.BITS_1.rowBytes(cols) : 0);
        Shapes.checkLength("int" + bits + " scales", scales.length, (long) rows * ((cols + group - 1) / group));
    }

    private static StripeLayout lowLayout(int bits) {
        return switch (bits) {
            case 2, 3 -> StripeLayout.BITS_2;
            case 4 -> StripeLayout.BITS_4;
            default -> StripeLayout.BITS_8;
        };
    }

    /** Packs signed codes ({@code codes[r * cols + c]}, within b bits) and fp16 scale codes. */
    public static GroupIntWeights pack(int bits, int group, int rows, int cols, int[] codes, short[] scales) {
        Shapes.checkLength("int" + bits + " codes", codes.length, (long) rows * cols);
        StripeLayout low = lowLayout(bits);
        int lowBytes = low.rowBytes(cols);
        int highBytes = StripeLayout.BITS_1.rowBytes(cols);
        byte[] packed = new byte[rows * lowBytes];
        byte[] high = new byte[bits == 3 ? rows * highBytes : 0];
        int min = -(1 << (bits - 1));
        int max = (1 << (bits - 1)) - 1;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int code = codes[r * cols + c];
                if (code < min || code > max) {
                    throw new IllegalArgumentException(
                            "Code %d at (%d, %d) does not fit int%d (%d..%d); clamp it first."
                                    .formatted(code, r, c, bits, min, max));
                }
                int index = low.byteOf(rows, cols, blockRows(bits), r, c);
                int shift = low.shiftOf(c);
                int mask = (1 << low.bits()) - 1;
                packed[index] = (byte) ((packed[index] & ~(mask << shift)) | ((code & mask) << shift));
                if (bits == 3) {
                    StripeLayout.BITS_1.set(high, r * highBytes, c, code >>> 2);
                }
            }
        }
        return new GroupIntWeights(bits, group, rows, cols, packed, high, scales);
    }

    @Override
    public String formatId() {
        return "int" + bits + "-g" + group;
    }

    public int groupsPerRow() {
        return (cols + group - 1) / group;
    }

    @Override
    public long storageBytes() {
        return (long) packed.length + highBits.length + 2L * scales.length;
    }

    /**
     * Rows per block of the low plane ({@link StripeLayout#stripeOffset}): int4 rows are stored in
     * pairs with interleaved stripes, so that the matrix-vector kernel reads two rows as one
     * sequential stream; the other widths row by row.
     */
    static int blockRows(int bits) {
        return bits == 4 ? 2 : 1;
    }

    /** Byte offset of stripe {@code stripe} of {@code row} in {@code packed}. */
    private int stripeOffset(int row, int stripe) {
        return lowLayout(bits).stripeOffset(rows, cols, blockRows(bits), row, stripe);
    }

    /** The signed code at (row, col). */
    public int code(int row, int col) {
        StripeLayout low = lowLayout(bits);
        int field = (packed[low.byteOf(rows, cols, blockRows(bits), row, col)] >>> low.shiftOf(col))
                & ((1 << low.bits()) - 1);
        if (bits == 3) {
            int high = StripeLayout.BITS_1.get(highBits, row * StripeLayout.BITS_1.rowBytes(cols), col);
            return field - 4 * high;
        }
        return (field << (32 - bits)) >> (32 - bits);
    }

    public float scale(int row, int groupIndex) {
        return Fp16.toFloat(scales[row * groupsPerRow() + groupIndex]);
    }

    @Override
    public float weight(int row, int col) {
        return code(row, col) * scale(row, col / group);
    }

    private int log2Group() {
        return Integer.numberOfTrailingZeros(group);
    }

    /** Decodes the fp16 scales of a row into {@code out[offset...]}; true when all are finite. */
    private boolean rowScales(int row, float[] out, int offset) {
        int gpr = groupsPerRow();
        boolean finite = true;
        for (int g = 0; g < gpr; g++) {
            float s = Fp16.toFloat(scales[row * gpr + g]);
            out[offset + g] = s;
            finite &= Float.isFinite(s);
        }
        return finite;
    }

    /** Elements covered by the vector loops: whole stripes (whole 128-blocks for int3). */
    private int vectorCols() {
        int unit = switch (bits) {
            case 2 -> 64;
            case 3 -> 128;
            case 4 -> 32;
            default -> 16;
        };
        return cols / unit * unit;
    }

    private static IntVector widen(byte[] data, int offset) {
        return Lanes.widen(data, offset);
    }

    private static FloatVector toFloat(IntVector v) {
        return Lanes.toFloat(v);
    }

    @Override
    public void multiplyRows(float[] x, float[] y, int rowStart, int rowEnd) {
        int gpr = groupsPerRow();
        float[] rs = new float[gpr];
        float[] rt = new float[gpr];
        float[] pair = new float[2];
        int vectorCols = vectorCols();
        boolean factored = bits == 4 && modest(x, vectorCols);
        for (int r = rowStart; r < rowEnd; r++) {
            float sum;
            if (factored && r % 2 == 0 && r + 1 < rowEnd) {
                if (Fp16.toFloats(scales, r * gpr, gpr, rs) && Fp16.toFloats(scales, (r + 1) * gpr, gpr, rt)) {
                    if (group == 128) {
                        dot4PairG128(r, rs, rt, x, vectorCols, pair);
                    } else {
                        dot4Pair(r, rs, rt, x, vectorCols, pair);
                    }
                    y[r] = pair[0] + scalarTail(r, rs, x, vectorCols);
                    y[r + 1] = pair[1] + scalarTail(r + 1, rt, x, vectorCols);
                    r++;
                    continue;
                }
            }
            if (factored && r + 1 == rows && r % 2 == 0 && Fp16.toFloats(scales, r * gpr, gpr, rs)) {
                sum = dot4Lone(r, rs, x, vectorCols);
            } else {
                rowScales(r, rs, 0);
                sum = switch (bits) {
                    case 2 -> dot2(r, rs, x, vectorCols);
                    case 3 -> dot3(r, rs, x, vectorCols);
                    case 4 -> dot4(r, rs, x, vectorCols);
                    default -> dot8(r, rs, x, vectorCols);
                };
            }
            y[r] = sum + scalarTail(r, rs, x, vectorCols);
        }
    }

    /** The elements after the vector loops' whole stripes, one by one. */
    private float scalarTail(int r, float[] rs, float[] x, int vectorCols) {
        float sum = 0;
        for (int c = vectorCols; c < cols; c++) {
            sum += code(r, c) * rs[c / group] * x[c];
        }
        return sum;
    }

    /** The int4 codes of 16 consecutive elements from one byte each: the low nibbles (two shifts). */
    private static FloatVector lowNibbles(IntVector q) {
        return toFloat(q.lanewise(LSHL, 28).lanewise(ASHR, 28));
    }

    /** The high nibbles (one shift: the widening already sign-extended them). */
    private static FloatVector highNibbles(IntVector q) {
        return toFloat(q.lanewise(ASHR, 4));
    }

    /**
     * Two rows of int4 (a stored pair: {@code r} even) with each group scale applied once per
     * group: {@code sum_g s_g * (sum_{c in g} q_c x_c)}, exact in the integer codes and equal to
     * the oracle up to fp32 rounding. Only used when every scale of both rows is finite (an
     * infinite scale times a zero code is NaN per element, which the factored sum would not
     * reproduce).
     *
     * <p>Measured on the development VM (batch 1, weights streaming from memory): the two rows'
     * interleaved stripes are one sequential stream (four rows in four separate streams, the
     * previous kernel, ran at about two thirds of the speed); the indices are linear in the loop
     * counter so that C2 removes the bounds checks from the loop; blocks of 64 columns (two
     * stripes of each row, half a group to two groups) keep the inner loops' trip counts constant.
     * (A block of 128 columns, all four stripes written out, made the method too big for C2 to
     * keep its vectors unboxed: 10x slower.)
     */
    private void dot4Pair(int r, float[] rs, float[] rt, float[] x, int vectorCols, float[] out) {
        int base = stripeOffset(r, 0);
        int lg = log2Group();
        int halves = vectorCols / 64;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = acc0;
        for (int k = 0; k < halves; k++) {
            int b = base + 64 * k; // two stripes of both rows
            int c = 64 * k;
            FloatVector p0 = FloatVector.zero(F);
            FloatVector p1 = p0;
            FloatVector t0 = p0;
            FloatVector t1 = p0;
            for (int h = 0; h < 16; h += VL) {
                FloatVector xl = FloatVector.fromArray(F, x, c + h);
                FloatVector xh = FloatVector.fromArray(F, x, c + 16 + h);
                IntVector q = widen(packed, b + h);
                IntVector u = widen(packed, b + 16 + h);
                p0 = lowNibbles(q).fma(xl, p0);
                t0 = lowNibbles(u).fma(xl, t0);
                p0 = highNibbles(q).fma(xh, p0);
                t0 = highNibbles(u).fma(xh, t0);
                xl = FloatVector.fromArray(F, x, c + 32 + h);
                xh = FloatVector.fromArray(F, x, c + 48 + h);
                q = widen(packed, b + 32 + h);
                u = widen(packed, b + 48 + h);
                p1 = lowNibbles(q).fma(xl, p1);
                t1 = lowNibbles(u).fma(xl, t1);
                p1 = highNibbles(q).fma(xh, p1);
                t1 = highNibbles(u).fma(xh, t1);
            }
            if (group == 32) {
                acc0 = p0.fma(FloatVector.broadcast(F, rs[2 * k]), acc0);
                acc1 = t0.fma(FloatVector.broadcast(F, rt[2 * k]), acc1);
                acc0 = p1.fma(FloatVector.broadcast(F, rs[2 * k + 1]), acc0);
                acc1 = t1.fma(FloatVector.broadcast(F, rt[2 * k + 1]), acc1);
            } else {
                acc0 = p0.add(p1).fma(FloatVector.broadcast(F, rs[c >> lg]), acc0);
                acc1 = t0.add(t1).fma(FloatVector.broadcast(F, rt[c >> lg]), acc1);
            }
        }
        if (vectorCols % 64 != 0) { // one more stripe
            int c = vectorCols - 32;
            int b = base + c; // a pair's stripe of 32 columns takes 32 bytes
            FloatVector p = FloatVector.zero(F);
            FloatVector t = p;
            for (int h = 0; h < 16; h += VL) {
                FloatVector xl = FloatVector.fromArray(F, x, c + h);
                FloatVector xh = FloatVector.fromArray(F, x, c + 16 + h);
                IntVector q = widen(packed, b + h);
                IntVector u = widen(packed, b + 16 + h);
                p = highNibbles(q).fma(xh, lowNibbles(q).fma(xl, p));
                t = highNibbles(u).fma(xh, lowNibbles(u).fma(xl, t));
            }
            acc0 = p.fma(FloatVector.broadcast(F, rs[c >> lg]), acc0);
            acc1 = t.fma(FloatVector.broadcast(F, rt[c >> lg]), acc1);
        }
        out[0] = acc0.reduceLanes(ADD);
        out[1] = acc1.reduceLanes(ADD);
    }

    /**
     * True when every activation of the vector part is finite and at most 2^60 in magnitude: then
     * the int4 kernels may factor the group scale out ({@code s * sum q x}); otherwise
     * (infinities, NaN, values whose products with the codes could overflow where the oracle's
     * {@code (q s) x} does not) they scale element by element, as the oracle does.
     */
    private static boolean modest(float[] x, int vectorCols) {
        FloatVector max = FloatVector.zero(F);
        int c = 0;
        for (; c + VL <= vectorCols; c += VL) {
            max = max.max(FloatVector.fromArray(F, x, c).abs());
        }
        float m = max.reduceLanes(jdk.incubator.vector.VectorOperators.MAX);
        for (; c < vectorCols; c++) {
            m = Math.max(m, Math.abs(x[c]));
        }
        return m <= 0x1p60f; // false for NaN too
    }

    /**
     * {@link #dot4Pair} for groups of 128: a loop over groups with a constant inner loop over the
     * group's two 64-column blocks, one scale per group and row without a branch in the loop (about
     * 1.2x faster in cache than the generic loop); the last, partial group by {@link #dot4Pair}'s
     * per-stripe loop.
     */
    private void dot4PairG128(int r, float[] rs, float[] rt, float[] x, int vectorCols, float[] out) {
        int base = stripeOffset(r, 0);
        int groups = vectorCols / 128;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = acc0;
        for (int g = 0; g < groups; g++) {
            FloatVector p0 = FloatVector.zero(F);
            FloatVector p1 = p0;
            FloatVector t0 = p0;
            FloatVector t1 = p0;
            for (int half = 0; half < 2; half++) {
                int b = base + 128 * g + 64 * half;
                int c = 128 * g + 64 * half;
                for (int h = 0; h < 16; h += VL) {
                    FloatVector xl = FloatVector.fromArray(F, x, c + h);
                    FloatVector xh = FloatVector.fromArray(F, x, c + 16 + h);
                    IntVector q = widen(packed, b + h);
                    IntVector u = widen(packed, b + 16 + h);
                    p0 = lowNibbles(q).fma(xl, p0);
                    t0 = lowNibbles(u).fma(xl, t0);
                    p1 = highNibbles(q).fma(xh, p1);
                    t1 = highNibbles(u).fma(xh, t1);
                    xl = FloatVector.fromArray(F, x, c + 32 + h);
                    xh = FloatVector.fromArray(F, x, c + 48 + h);
                    q = widen(packed, b + 32 + h);
                    u = widen(packed, b + 48 + h);
                    p0 = lowNibbles(q).fma(xl, p0);
                    t0 = lowNibbles(u).fma(xl, t0);
                    p1 = highNibbles(q).fma(xh, p1);
                    t1 = highNibbles(u).fma(xh, t1);
                }
            }
            acc0 = p0.add(p1).fma(FloatVector.broadcast(F, rs[g]), acc0);
            acc1 = t0.add(t1).fma(FloatVector.broadcast(F, rt[g]), acc1);
        }
        for (int c = 128 * groups; c < vectorCols; c += 32) {
            int b = base + c;
            FloatVector p = FloatVector.zero(F);
            FloatVector t = p;
            for (int h = 0; h < 16; h += VL) {
                FloatVector xl = FloatVector.fromArray(F, x, c + h);
                FloatVector xh = FloatVector.fromArray(F, x, c + 16 + h);
                IntVector q = widen(packed, b + h);
                IntVector u = widen(packed, b + 16 + h);
                p = highNibbles(q).fma(xh, lowNibbles(q).fma(xl, p));
                t = highNibbles(u).fma(xh, lowNibbles(u).fma(xl, t));
            }
            acc0 = p.fma(FloatVector.broadcast(F, rs[groups]), acc0);
            acc1 = t.fma(FloatVector.broadcast(F, rt[groups]), acc1);
        }
        out[0] = acc0.reduceLanes(ADD);
        out[1] = acc1.reduceLanes(ADD);
    }

    /** The last row of an odd number of int4 rows (stored alone), factored like {@link #dot4Pair}. */
    private float dot4Lone(int r, float[] rs, float[] x, int vectorCols) {
        int base = stripeOffset(r, 0);
        int lg = log2Group();
        FloatVector acc = FloatVector.zero(F);
        for (int c = 0; c < vectorCols; c += 32) {
            int b = base + c / 2;
            FloatVector p = FloatVector.zero(F);
            for (int h = 0; h < 16; h += VL) {
                IntVector q = widen(packed, b + h);
                p = lowNibbles(q).fma(FloatVector.fromArray(F, x, c + h), p);
                p = highNibbles(q).fma(FloatVector.fromArray(F, x, c + 16 + h), p);
            }
            acc = p.fma(FloatVector.broadcast(F, rs[c >> lg]), acc);
        }
        return acc.reduceLanes(ADD);
    }

    private float dot8(int r, float[] rs, float[] x, int vectorCols) {
        int rowOff = r * StripeLayout.BITS_8.rowBytes(cols);
        int lg = log2Group();
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int c = 0;
        for (; c + 32 <= vectorCols; c += 32) {
            FloatVector s0 = FloatVector.broadcast(F, rs[c >> lg]);
            for (int h = 0; h < 32; h += 2 * VL) {
                FloatVector w0 = toFloat(widen(packed, rowOff + c + h)).mul(s0);
                FloatVector w1 = toFloat(widen(packed, rowOff + c + h + VL)).mul(s0);
                acc0 = w0.fma(FloatVector.fromArray(F, x, c + h), acc0);
                acc1 = w1.fma(FloatVector.fromArray(F, x, c + h + VL), acc1);
            }
        }
        for (; c < vectorCols; c += VL) {
            FloatVector w0 = toFloat(widen(packed, rowOff + c)).mul(rs[c >> lg]);
            acc0 = w0.fma(FloatVector.fromArray(F, x, c), acc0);
        }
        return acc0.add(acc1).reduceLanes(ADD);
    }

    /** One int4 row, scale per element (rows with a non-finite scale, or half a pair). */
    private float dot4(int r, float[] rs, float[] x, int vectorCols) {
        int stride = stripeOffset(r, 1) - stripeOffset(r, 0);
        int lg = log2Group();
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int c = 0, b = stripeOffset(r, 0); c < vectorCols; c += 32, b += stride) {
            FloatVector s = FloatVector.broadcast(F, rs[c >> lg]);
            for (int h = 0; h < 16; h += VL) {
                IntVector q = widen(packed, b + h);
                FloatVector lo =
                        toFloat(q.lanewise(LSHL, 28).lanewise(ASHR, 28)).mul(s);
                FloatVector hi = toFloat(q.lanewise(ASHR, 4)).mul(s);
                acc0 = lo.fma(FloatVector.fromArray(F, x, c + h), acc0);
                acc1 = hi.fma(FloatVector.fromArray(F, x, c + 16 + h), acc1);
            }
        }
        return acc0.add(acc1).reduceLanes(ADD);
    }

    private float dot2(int r, float[] rs, float[] x, int vectorCols) {
        int rowOff = r * StripeLayout.BITS_2.rowBytes(cols);
        int lg = log2Group();
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int c = 0, b = rowOff; c < vectorCols; c += 64, b += 16) {
            FloatVector sa = FloatVector.broadcast(F, rs[c >> lg]);
            FloatVector sb = FloatVector.broadcast(F, rs[(c + 32) >> lg]);
            for (int h = 0; h < 16; h += VL) {
                IntVector q = widen(packed, b + h);
                FloatVector e0 =
                        toFloat(q.lanewise(LSHL, 30).lanewise(ASHR, 30)).mul(sa);
                FloatVector e1 =
                        toFloat(q.lanewise(LSHL, 28).lanewise(ASHR, 30)).mul(sa);
                FloatVector e2 =
                        toFloat(q.lanewise(LSHL, 26).lanewise(ASHR, 30)).mul(sb);
                FloatVector e3 = toFloat(q.lanewise(ASHR, 6)).mul(sb);
                acc0 = e0.fma(FloatVector.fromArray(F, x, c + h), acc0);
                acc1 = e1.fma(FloatVector.fromArray(F, x, c + 16 + h), acc1);
                acc0 = e2.fma(FloatVector.fromArray(F, x, c + 32 + h), acc0);
                acc1 = e3.fma(FloatVector.fromArray(F, x, c + 48 + h), acc1);
            }
        }
        return acc0.add(acc1).reduceLanes(ADD);
    }

    /** Signed int3 codes of the 16-element chunk m (0..7) of a 128-block, from its two planes. */
    private static IntVector int3(IntVector low, IntVector high, int m) {
        IntVector u = low.lanewise(LSHR, 2 * (m & 3)).lanewise(AND, 3);
        IntVector minusFour = high.lanewise(LSHL, 31 - m).lanewise(ASHR, 31).lanewise(LSHL, 2);
        return u.add(minusFour);
    }

    private float dot3(int r, float[] rs, float[] x, int vectorCols) {
        int lowOff = r * StripeLayout.BITS_2.rowBytes(cols);
        int highOff = r * StripeLayout.BITS_1.rowBytes(cols);
        int lg = log2Group();
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int c = 0, lb = lowOff, hb = highOff; c < vectorCols; c += 128, lb += 32, hb += 16) {
            for (int h = 0; h < 16; h += VL) {
                IntVector low0 = widen(packed, lb + h);
                IntVector low1 = widen(packed, lb + 16 + h);
                IntVector high = widen(highBits, hb + h);
                for (int m = 0; m < 8; m += 2) {
                    IntVector lowM = m < 4 ? low0 : low1;
                    FloatVector w0 = toFloat(int3(lowM, high, m)).mul(rs[(c + 16 * m) >> lg]);
                    FloatVector w1 = toFloat(int3(lowM, high, m + 1)).mul(rs[(c + 16 * m + 16) >> lg]);
                    acc0 = w0.fma(FloatVector.fromArray(F, x, c + 16 * m + h), acc0);
                    acc1 = w1.fma(FloatVector.fromArray(F, x, c + 16 * m + 16 + h), acc1);
                }
            }
        }
        return acc0.add(acc1).reduceLanes(ADD);
    }

    @Override
    public void decode(int row, int rowCount, int col, int count, float[] dst, int dstStride) {
        float[] rs = new float[groupsPerRow()];
        int end = col + count;
        int vectorEnd = Math.min(end, vectorCols());
        int lg = log2Group();
        int gpr = groupsPerRow();
        int firstGroup = col / group;
        int lastGroup = (end - 1) / group;
        for (int i = 0; i < rowCount; i++) {
            int r = row + i;
            for (int g = firstGroup; g <= lastGroup; g++) {
                rs[g] = Fp16.toFloat(scales[r * gpr + g]);
            }
            int out = i * dstStride - col;
            int c = col;
            switch (bits) {
                case 2 -> {
                    int rowOff = r * StripeLayout.BITS_2.rowBytes(cols);
                    for (; c + 64 <= vectorEnd; c += 64) {
                        int b = rowOff + c / 4;
                        FloatVector sa = FloatVector.broadcast(F, rs[c >> lg]);
                        FloatVector sb = FloatVector.broadcast(F, rs[(c + 32) >> lg]);
                        for (int h = 0; h < 16; h += VL) {
                            IntVector q = widen(packed, b + h);
                            toFloat(q.lanewise(LSHL, 30).lanewise(ASHR, 30))
                                    .mul(sa)
                                    .intoArray(dst, out + c + h);
                            toFloat(q.lanewise(LSHL, 28).lanewise(ASHR, 30))
                                    .mul(sa)
                                    .intoArray(dst, out + c + 16 + h);
                            toFloat(q.lanewise(LSHL, 26).lanewise(ASHR, 30))
                                    .mul(sb)
                                    .intoArray(dst, out + c + 32 + h);
                            toFloat(q.lanewise(ASHR, 6)).mul(sb).intoArray(dst, out + c + 48 + h);
                        }
                    }
                }
                case 3 -> {
                    int lowOff = r * StripeLayout.BITS_2.rowBytes(cols);
                    int highOff = r * StripeLayout.BITS_1.rowBytes(cols);
                    for (; c + 128 <= vectorEnd; c += 128) {
                        int lb = lowOff + c / 4;
                        int hb = highOff + c / 8;
                        for (int h = 0; h < 16; h += VL) {
                            IntVector low0 = widen(packed, lb + h);
                            IntVector low1 = widen(packed, lb + 16 + h);
                            IntVector high = widen(highBits, hb + h);
                            for (int m = 0; m < 8; m++) {
                                toFloat(int3(m < 4 ? low0 : low1, high, m))
                                        .mul(rs[(c + 16 * m) >> lg])
                                        .intoArray(dst, out + c + 16 * m + h);
                            }
                        }
                    }
                }
                case 4 -> {
                    for (; c + 32 <= vectorEnd; c += 32) {
                        int b = stripeOffset(r, c / 32);
                        FloatVector s = FloatVector.broadcast(F, rs[c >> lg]);
                        for (int h = 0; h < 16; h += VL) {
                            IntVector q = widen(packed, b + h);
                            toFloat(q.lanewise(LSHL, 28).lanewise(ASHR, 28))
                                    .mul(s)
                                    .intoArray(dst, out + c + h);
                            toFloat(q.lanewise(ASHR, 4)).mul(s).intoArray(dst, out + c + 16 + h);
                        }
                    }
                }
                default -> {
                    int rowOff = r * StripeLayout.BITS_8.rowBytes(cols);
                    for (; c + VL <= vectorEnd; c += VL) {
                        toFloat(widen(packed, rowOff + c)).mul(rs[c >> lg]).intoArray(dst, out + c);
                    }
                }
            }
            for (; c < end; c++) {
                dst[out + c] = code(r, c) * rs[c / group];
            }
        }
    }
}
