package dev.mpq.devices.kernels;

/** 4-bit codes in the 4-bit {@link StripeLayout}, shared by the fp4 formats. */
final class Nibbles {

    private Nibbles() {}

    static byte[] pack(int rows, int cols, int[] codes) {
        Shapes.checkLength("4-bit codes", codes.length, (long) rows * cols);
        int rowBytes = StripeLayout.BITS_4.rowBytes(cols);
        byte[] packed = new byte[rows * rowBytes];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int code = codes[r * cols + c];
                if (code < 0 || code > 15) {
                    throw new IllegalArgumentException(
                            "4-bit code %d at (%d, %d); codes are 0..15.".formatted(code, r, c));
                }
                StripeLayout.BITS_4.set(packed, r * rowBytes, c, code);
            }
        }
        return packed;
    }

    static int get(byte[] packed, int cols, int row, int col) {
        return StripeLayout.BITS_4.get(packed, row * StripeLayout.BITS_4.rowBytes(cols), col);
    }
}
