package dev.mpq.service.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.service.ServiceIT;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The job queue on a real PostgreSQL: replicas (here: owners claiming from several threads at once)
 * never take the same job, an expired lease hands a job to another replica, and a replica that lost
 * its lease cannot finish the job. The service's own runner is stopped meanwhile.
 */
class JobQueueIT extends ServiceIT {

    private static final String KIND = "queue-test";

    @Autowired
    JobRepository jobs;

    @Autowired
    JobRunner runner;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void stopTheServiceRunner() {
        runner.stop();
    }

    @AfterEach
    void finishAndRestart() {
        jdbc.sql(
                        "UPDATE job SET status = 'FAILED', error = 'test over' WHERE kind = :kind AND status IN ('QUEUED', 'RUNNING')")
                .param("kind", KIND)
                .update();
        runner.start();
    }

    private long enqueue() {
        return jobs.enqueue(KIND);
    }

    @Test
    void concurrentClaimsFromManyReplicasTakeEveryJobExactlyOnce() throws Exception {
        Set<Long> mine = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 40; i++) {
            mine.add(enqueue());
        }
        Map<Long, String> claimedBy = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        int replicas = 4;
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        CountDownLatch start = new CountDownLatch(1);
        for (int r = 0; r < replicas; r++) {
            String owner = "replica-" + r;
            pool.submit(() -> {
                start.await();
                while (true) {
                    var claimed = jobs.claim(owner, Duration.ofSeconds(30));
                    if (claimed.isEmpty()) {
                        return null;
                    }
                    if (claimedBy.putIfAbsent(claimed.get().id(), owner) != null) {
                        duplicates.incrementAndGet();
                    }
                    assertThat(jobs.complete(claimed.get().id(), owner)).isTrue();
                }
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(duplicates.get()).isZero();
        assertThat(claimedBy.keySet()).containsAll(mine);
        assertThat(mine)
                .allSatisfy(
                        id -> assertThat(jobs.find(id).orElseThrow().status()).isEqualTo("DONE"));
    }

    @Test
    void expiredLeaseHandsTheJobToAnotherReplicaAndTheFirstCannotFinishIt() throws Exception {
        long id = enqueue();
        var first = jobs.claim("crashed-replica", Duration.ofMillis(1500)).orElseThrow();
        assertThat(first.id()).isEqualTo(id);
        assertThat(jobs.claim("other", Duration.ofSeconds(30)))
                .as("the lease holds")
                .isEmpty();
        Thread.sleep(2500);
        var second = jobs.claim("other", Duration.ofSeconds(30)).orElseThrow();
        assertThat(second.id()).isEqualTo(id);
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(jobs.complete(id, "crashed-replica"))
                .as("a stale owner cannot complete")
                .isFalse();
        assertThat(jobs.complete(id, "other")).isTrue();
        assertThat(jobs.find(id).orElseThrow().status()).isEqualTo("DONE");
    }

    @Test
    void renewedLeaseKeepsTheJob() throws Exception {
        long id = enqueue();
        jobs.claim("alive", Duration.ofSeconds(2)).orElseThrow();
        for (int i = 0; i < 6; i++) { // 3 s in all, past the first lease; 1.5 s of slack per renewal
            Thread.sleep(500);
            assertThat(jobs.renew("alive", Duration.ofSeconds(2))).isEqualTo(1);
        }
        assertThat(jobs.claim("other", Duration.ofSeconds(30))).isEmpty();
        assertThat(jobs.complete(id, "alive")).isTrue();
    }

    @Test
    void releasedJobsAreQueuedAgainWithoutCountingTheAttempt() {
        long id = enqueue();
        jobs.claim("stopping", Duration.ofSeconds(30)).orElseThrow();
        assertThat(jobs.release("stopping")).isEqualTo(1);
        var state = jobs.find(id).orElseThrow();
        assertThat(state.status()).isEqualTo("QUEUED");
        assertThat(state.attempts()).isZero();
        var again = jobs.claim("next", Duration.ofSeconds(30)).orElseThrow();
        assertThat(again.id()).isEqualTo(id);
        assertThat(jobs.fail(id, "next", "test over")).isTrue();
        assertThat(jobs.find(id).orElseThrow().error()).isEqualTo("test over");
    }
}
