package dev.mpq.devices.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.core.worker.TaskLease;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The heartbeat thread: renews with the lease token every third of the lease, and notices a lost lease. */
class HeartbeatTest {

    private final WorkerLog log =
            new WorkerLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    private static TaskLease lease(long seconds) {
        return new TaskLease(5, TaskLease.PROFILE, "tok-5", seconds, 1, List.of(), List.of(), 0, null);
    }

    /** Waits for a condition (a guard against hanging, not a timing assertion). */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime())
                    .as("condition not reached within 30 s")
                    .isLessThan(end);
            Thread.sleep(20);
        }
    }

    @Test
    void renewsEveryThirdOfTheLeaseWithTheLeaseToken() throws Exception {
        try (ProtocolServer s = ProtocolServer.start()) {
            WorkerClient client = new WorkerClient(URI.create(s.url()), "t", Backoff.PROTOCOL, log);
            try (Heartbeat heartbeat = Heartbeat.start(client, lease(1), log)) {
                assertThat(heartbeat.interval()).isEqualTo(Duration.ofMillis(333));
                await(() -> heartbeat.beats() >= 2);
                assertThat(heartbeat.lost()).isFalse();
            }
            assertThat(s.requests(ProtocolServer.HEARTBEAT))
                    .allMatch(r -> r.path().equals("/api/worker/tasks/5/heartbeat"))
                    .allMatch(r -> r.body().contains("\"leaseToken\":\"tok-5\""));
        }
        assertThat(Heartbeat.interval(60)).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aConflictMarksTheLeaseLostAndEndsTheRenewals() throws Exception {
        try (ProtocolServer s = ProtocolServer.start()) {
            s.otherwise(ProtocolServer.HEARTBEAT, () -> ProtocolServer.Answer.of(409, "{\"detail\": \"taken over\"}"));
            WorkerClient client = new WorkerClient(URI.create(s.url()), "t", Backoff.PROTOCOL, log);
            try (Heartbeat heartbeat = Heartbeat.start(client, lease(1), log)) {
                await(heartbeat::lost);
                Thread.sleep(1000); // three more intervals: no renewal after the conflict
                assertThat(s.requests(ProtocolServer.HEARTBEAT)).hasSize(1);
                assertThat(heartbeat.beats()).isZero();
            }
        }
    }
}
