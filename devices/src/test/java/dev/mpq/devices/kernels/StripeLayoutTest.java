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
    void rejectsThreeBitFields() {
        assertThatThrownBy(() -> new StripeLayout(3)).hasMessageContaining("2-bit and a 1-bit plane");
    }
}
