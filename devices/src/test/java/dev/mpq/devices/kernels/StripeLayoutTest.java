package dev.mpq.devices.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StripeLayoutTest {

    @Test
    void fourBitStripePutsElementsJAndJPlus16InOneByte() {
        byte[] row = new byte[StripeLayout.BITS_4.rowBytes(32)];
        StripeLayout.BITS_4.set(row, 0, 0, 0x3);
        StripeLayout.BITS_4.set(row, 0, 16, 0xA);
        StripeLayout.BITS_4.set(row, 0, 31, 0x5);
        assertThat(row).hasSize(16);
        assertThat(row[0] & 0xFF).isEqualTo(0xA3);
        assertThat(row[15] & 0xFF).isEqualTo(0x50);
    }

    @Test
    void twoBitStripeHoldsSixtyFourElementsWithElementJPlus48InTheTopBits() {
        byte[] row = new byte[StripeLayout.BITS_2.rowBytes(64)];
        StripeLayout.BITS_2.set(row, 0, 48 + 7, 0x2);
        StripeLayout.BITS_2.set(row, 0, 16 + 7, 0x1);
        assertThat(row).hasSize(16);
        assertThat(row[7] & 0xFF).isEqualTo(0x84);
    }

    @Test
    void rowsArePaddedToWholeStripes() {
        assertThat(StripeLayout.BITS_4.rowBytes(33)).isEqualTo(32);
        assertThat(StripeLayout.BITS_2.rowBytes(64)).isEqualTo(16);
        assertThat(StripeLayout.BITS_1.rowBytes(129)).isEqualTo(32);
        assertThat(StripeLayout.BITS_8.rowBytes(17)).isEqualTo(32);
    }

    @Test
    void everyFieldReadsBackWhatWasStored() {
        SplittableRandom random = new SplittableRandom(7);
        for (StripeLayout layout :
                new StripeLayout[] {StripeLayout.BITS_1, StripeLayout.BITS_2, StripeLayout.BITS_4, StripeLayout.BITS_8
                }) {
            int cols = 301;
            int[] fields = new int[cols];
            byte[] row = new byte[layout.rowBytes(cols) + 5];
            for (int c = 0; c < cols; c++) {
                fields[c] = random.nextInt(1 << layout.bits());
                layout.set(row, 5, c, fields[c]);
            }
            for (int c = 0; c < cols; c++) {
                assertThat(layout.get(row, 5, c))
                        .as("%d bits, col %d", layout.bits(), c)
                        .isEqualTo(fields[c]);
            }
        }
    }

    @Test
    void rowPairsInterleaveTheirStripesAndALastOddRowStandsAlone() {
        StripeLayout l = StripeLayout.BITS_4;
        // 3 rows of 64 columns: 32 bytes per row; rows 0 and 1 a pair, row 2 alone
        assertThat(l.stripeOffset(3, 64, 2, 0, 0)).isEqualTo(0);
        assertThat(l.stripeOffset(3, 64, 2, 1, 0)).isEqualTo(16);
        assertThat(l.stripeOffset(3, 64, 2, 0, 1)).isEqualTo(32);
        assertThat(l.stripeOffset(3, 64, 2, 1, 1)).isEqualTo(48);
        assertThat(l.stripeOffset(3, 64, 2, 2, 0)).isEqualTo(64);
        assertThat(l.stripeOffset(3, 64, 2, 2, 1)).isEqualTo(80);
        assertThat(l.byteOf(3, 64, 2, 1, 32 + 16 + 5)).isEqualTo(48 + 5);
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 64; col++) {
                assertThat(l.byteOf(3, 64, 1, row, col)).isEqualTo(row * 32 + l.byteOf(col));
            }
        }
    }

    @Test
    void int4WeightsAreStoredInRowPairs() {
        int[] codes = new int[3 * 32];
        codes[0] = 1; // row 0, col 0: byte 0, low nibble
        codes[32 + 16] = -1; // row 1, col 16: byte 16, high nibble
        codes[64 + 31] = -8; // row 2, col 31: byte 32 + 15, high nibble
        GroupIntWeights w = GroupIntWeights.pack(4, 32, 3, 32, codes, new short[] {0x3C00, 0x3C00, 0x3C00});
        assertThat(w.packed()).hasSize(48);
        assertThat(w.packed()[0] & 0xFF).isEqualTo(0x01);
        assertThat(w.packed()[16] & 0xFF).isEqualTo(0xF0);
        assertThat(w.packed()[47] & 0xFF).isEqualTo(0x80);
        assertThat(w.code(0, 0)).isEqualTo(1);
        assertThat(w.code(1, 16)).isEqualTo(-1);
        assertThat(w.code(2, 31)).isEqualTo(-8);
    }

    @Test
    void rejectsThreeBitFields() {
        assertThatThrownBy(() -> new StripeLayout(3)).hasMessageContaining("2-bit and a 1-bit plane");
    }
}
