package dev.mpq.devices.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TrialsTest {

    @Test
    void reportsEveryTrialWithTheMedianInsideTheRange() {
        AtomicInteger calls = new AtomicInteger();
        Trials.Result result = new Trials(0, 5, 1e-4).measure(calls::incrementAndGet);
        assertThat(result.trials()).isEqualTo(5);
        assertThat(result.repetitions()).isPositive();
        assertThat(result.minSeconds()).isLessThanOrEqualTo(result.medianSeconds());
        assertThat(result.medianSeconds()).isLessThanOrEqualTo(result.maxSeconds());
        assertThat(calls.get()).isGreaterThanOrEqualTo(5 * result.repetitions());
    }

    @Test
    void interleavedTrialsRunEveryOperationTheSameNumberOfTrials() {
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        List<Trials.Result> results =
                new Trials(0, 3, 1e-4).measureInterleaved(List.of(a::incrementAndGet, b::incrementAndGet));
        assertThat(results).hasSize(2).allSatisfy(r -> assertThat(r.trials()).isEqualTo(3));
        assertThat(a.get()).isPositive();
        assertThat(b.get()).isPositive();
    }

    @Test
    void rejectsNoTrials() {
        assertThatThrownBy(() -> new Trials(0.1, 0, 0.1)).hasMessageContaining("at least one trial");
    }
}
