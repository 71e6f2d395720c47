package dev.mpq.devices.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerOptionsTest {

    @Test
    void parsesEveryOptionWithDefaultsForTheRest() {
        WorkerOptions o = WorkerOptions.parse(
                List.of(
                        "--server",
                        "http://127.0.0.1:8080",
                        "--token",
                        "mpqw_x",
                        "--threads",
                        "1",
                        "--poll-seconds",
                        "0.5",
                        "--report-every",
                        "2",
                        "--trials",
                        "3",
                        "--warmup-seconds",
                        "0.1",
                        "--skip-bandwidth"),
                Map.of());
        assertThat(o.server().toString()).isEqualTo("http://127.0.0.1:8080");
        assertThat(o.token()).isEqualTo("mpqw_x");
        assertThat(o.threads()).isEqualTo(1);
        assertThat(o.poll()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.reportEvery()).isEqualTo(2);
        assertThat(o.trials().trials()).isEqualTo(3);
        assertThat(o.trials().warmupSeconds()).isEqualTo(0.1);
        assertThat(o.measureBandwidth()).isFalse();

        WorkerOptions d =
                WorkerOptions.parse(List.of("--server", "https://mpq.example"), Map.of("MPQ_WORKER_TOKEN", "env"));
        assertThat(d.token()).as("the token from the environment").isEqualTo("env");
        assertThat(d.poll()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.reportEvery()).isEqualTo(4);
        assertThat(d.measureBandwidth()).isTrue();
    }

    @Test
    void missingOrBadOptionsAreNamedInTheMessage() {
        assertThatThrownBy(() -> WorkerOptions.parse(List.of("--token", "t"), Map.of()))
                .hasMessageContaining("--server URL is required");
        assertThatThrownBy(() -> WorkerOptions.parse(List.of("--server", "http://h"), Map.of()))
                .hasMessageContaining("--token TOKEN is required");
        assertThatThrownBy(() -> WorkerOptions.parse(List.of("--server", "ftp://h", "--token", "t"), Map.of()))
                .hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> WorkerOptions.parse(
                        List.of("--server", "http://h", "--token", "t", "--threads", "two"), Map.of()))
                .hasMessageContaining("--threads two");
        assertThatThrownBy(() -> WorkerOptions.parse(
                        List.of("--server", "http://h", "--token", "t", "--threads", "0"), Map.of()))
                .hasMessageContaining("--threads 0");
        assertThatThrownBy(() -> WorkerOptions.parse(
                        List.of("--server", "http://h", "--token", "t", "--poll-seconds", "0"), Map.of()))
                .hasMessageContaining("--poll-seconds");
        assertThatThrownBy(() ->
                        WorkerOptions.parse(List.of("--server", "http://h", "--token", "t", "--trials", "0"), Map.of()))
                .hasMessageContaining("--trials");
        assertThatThrownBy(() -> WorkerOptions.parse(List.of("--server", "http://h", "--frobnicate", "1"), Map.of()))
                .hasMessageContaining("unknown option '--frobnicate'");
        assertThatThrownBy(() -> WorkerOptions.parse(List.of("--server"), Map.of()))
                .hasMessageContaining("--server needs a value");
    }
}
