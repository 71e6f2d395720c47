package dev.mpq.devices.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void protocolBackoffDoublesFromOneSecondAndIsCappedAtThirty() {
        assertThat(IntStream.range(0, 8).mapToObj(Backoff.PROTOCOL::delay).map(Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
        assertThat(Backoff.PROTOCOL.delay(10_000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void rejectsAZeroFirstDelayOrACapBelowIt() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("positive first delay");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("cap");
    }
}
