package dev.mpq.devices.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpq.core.worker.Measurement;
import dev.mpq.core.worker.ProfileItem;
import dev.mpq.devices.kernels.KernelThreads;
import dev.mpq.devices.measure.Trials;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerTimerTest {

    @Test
    void aLinearLayerIsItsWeightMatrixTimesTheBatch() {
        ProfileItem item = new ProfileItem(
                "linear/384x1536/int4-g128/b8", "linear", List.of(384L, 1536L), 384L * 1536, "int4-g128", 8);
        assertThat(LayerTimer.shapeOf(item)).isEqualTo(new LayerTimer.Shape(384, 1536, 8));
    }

    @Test
    void aConvolutionIsTimedAsItsIm2colProduct() {
        // 64 filters of 3x3x64 over a 56x56 output: 56 * 56 = 3136 columns per sample
        long weights = 64L * 64 * 3 * 3;
        ProfileItem item = new ProfileItem("conv", "conv", List.of(64L, 64L, 3L, 3L), weights * 3136, "int8:int8", 1);
        assertThat(LayerTimer.shapeOf(item)).isEqualTo(new LayerTimer.Shape(64, 576, 3136));
        ProfileItem batched =
                new ProfileItem("conv8", "conv", List.of(64L, 64L, 3L, 3L), weights * 3136, "int8:int8", 8);
        assertThat(LayerTimer.shapeOf(batched).columns()).isEqualTo(LayerTimer.MAX_COLUMNS);
    }

    @Test
    void supportsTheKernelFormatsAndInt8Int8Only() {
        assertThat(LayerTimer.supports("int4-g128")).isTrue();
        assertThat(LayerTimer.supports("int8:int8")).isTrue();
        assertThat(LayerTimer.supports("nvfp4")).isTrue();
        assertThat(LayerTimer.supports("int4:int4")).isFalse();
        assertThat(LayerTimer.supports("fp6-e3m2")).isFalse();
    }

    @Test
    void measuresAPositiveMedianWithItsSpreadRunsAndThreads() {
        try (KernelThreads threads = new KernelThreads(2)) {
            LayerTimer timer = new LayerTimer(threads, new Trials(0, 3, 1e-3), 1 << 20);
            for (String precision : List.of("int4-g128", "int8:int8", "fp32")) {
                for (int batch : new int[] {1, 4}) {
                    ProfileItem item = new ProfileItem(
                            "k-" + precision + "-" + batch, "linear", List.of(64L, 256L), 64L * 256, precision, batch);
                    Measurement m = timer.measure(item);
                    assertThat(m.itemKey()).isEqualTo(item.key());
                    assertThat(m.seconds()).isPositive();
                    assertThat(m.spread()).isGreaterThanOrEqualTo(0);
                    assertThat(m.runs()).isEqualTo(3);
                    assertThat(m.runtime()).isEqualTo("java");
                    assertThat(m.threads()).isEqualTo(2);
                }
            }
            ProfileItem unsupported = new ProfileItem("x", "linear", List.of(8L, 8L), 64, "int4:int4", 1);
            assertThat(timer.tryMeasure(unsupported)).isEmpty();
            assertThatThrownBy(() -> timer.measure(unsupported)).hasMessageContaining("int4:int4");
        }
    }
}
