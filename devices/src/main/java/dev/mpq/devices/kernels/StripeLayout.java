package dev.mpq.devices.kernels;

/**
 * How fields of {@code bits} bits (1, 2, 4 or 8) are packed into bytes: a row is a sequence of
 * 16-byte stripes; a stripe holds {@code 16 * 8 / bits} consecutive elements, and byte {@code j}
 * of a stripe holds element {@code j + 16 * m} of the stripe in bits {@code [bits * m, bits * (m +
 * 1))}. So one 16-byte load, widened to lanes and shifted {@code m} times, yields vectors of 16
 * (or twice 8) consecutive elements, on AVX2 and AVX-512 alike. A row with fewer elements than a
 * whole number of stripes is padded with zero fields.
 *
 * @param bits field width: 1, 2, 4 or 8
 */
public record StripeLayout(int bits) {

    /** Bytes per stripe. */
    public static final int STRIPE_BYTES = 16;

    public static final StripeLayout BITS_1 = new StripeLayout(1);
    public static final StripeLayout BITS_2 = new StripeLayout(2);
    public static final StripeLayout BITS_4 = new StripeLayout(4);
    public static final StripeLayout BITS_8 = new StripeLayout(8);

    public StripeLayout {
        if (bits != 1 && bits != 2 && bits != 4 && bits != 8) {
            throw new IllegalArgumentException(
                    "Stripe layout with %d-bit fields; use 1, 2, 4 or 8 (3-bit values are a 2-bit and a 1-bit plane)."
                            .formatted(bits));
        }
    }

    /** Elements per 16-byte stripe. */
    public int elementsPerStripe() {
        return STRIPE_BYTES * 8 / bits;
    }

    /** Fields per byte. */
    public int fieldsPerByte() {
        return 8 / bits;
    }

    /** Bytes of one packed row of {@code cols} elements (whole stripes). */
    public int rowBytes(int cols) {
        int perStripe = elementsPerStripe();
        return (cols + perStripe - 1) / perStripe * STRIPE_BYTES;
    }

    /** Byte index, relative to the row start, of element {@code col}. */
    public int byteOf(int col) {
        int perStripe = elementsPerStripe();
        return col / perStripe * STRIPE_BYTES + (col % perStripe) % STRIPE_BYTES;
    }

    /**
     * Byte offset of stripe {@code stripe} of {@code row} in a matrix of {@code rows} rows whose
     * rows are stored in blocks of {@code blockRows} consecutive rows (the last block may have
     * fewer), each block holding its rows' stripes interleaved: stripe 0 of each of its rows in
     * turn, then stripe 1 of each, and so on. With {@code blockRows = 1} this is plain row-major
     * order, {@code row * rowBytes(cols) + 16 * stripe}.
     */
    public int stripeOffset(int rows, int cols, int blockRows, int row, int stripe) {
        int first = row / blockRows * blockRows;
        int inBlock = Math.min(blockRows, rows - first);
        return first * rowBytes(cols) + (stripe * inBlock + row - first) * STRIPE_BYTES;
    }

    /** Byte index of element (row, col) in the layout of {@link #stripeOffset}. */
    public int byteOf(int rows, int cols, int blockRows, int row, int col) {
        int perStripe = elementsPerStripe();
        return stripeOffset(rows, cols, blockRows, row, col / perStripe) + (col % perStripe) % STRIPE_BYTES;
    }

    /** Bit offset inside its byte of element {@code col}. */
    public int shiftOf(int col) {
        return (col % elementsPerStripe()) / STRIPE_BYTES * bits;
    }

    /** The unsigned field of element {@code col} of the row starting at {@code rowOffset}. */
    public int get(byte[] data, int rowOffset, int col) {
        return (data[rowOffset + byteOf(col)] >>> shiftOf(col)) & ((1 << bits) - 1);
    }

    /** Stores the low {@code bits} bits of {@code field} as element {@code col}. */
    public void set(byte[] data, int rowOffset, int col, int field) {
        int mask = (1 << bits) - 1;
        int index = rowOffset + byteOf(col);
        int shift = shiftOf(col);
        data[index] = (byte) ((data[index] & ~(mask << shift)) | ((field & mask) << shift));
    }
}
