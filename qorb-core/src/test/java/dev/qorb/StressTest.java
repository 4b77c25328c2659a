package dev.qorb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qorb.testing.MutableResolver;
import dev.qorb.testing.ScriptedConnector;
import dev.qorb.testing.ScriptedConnector.Conn;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many threads claiming, releasing and invalidating while backends come and go. Checks
 * after every claim and at every sample: no connection is lent to two claimers at once, no
 * closed connection is lent, and the slot accounting adds up; after close, nothing is open.
 */
class StressTest {

    private static final int CLAIMERS = 8;
    private static final int CLAIMS_PER_THREAD = 3_000;
    private static final int MAX_SLOTS = 6;

    @Test
    void claimsStayExclusiveAndAccountingAddsUpWhileBackendsChange() throws Exception {
        ScriptedConnector connector = new ScriptedConnector();
        MutableResolver resolver = new MutableResolver();
        List<Backend> backends = List.of(Backend.of("127.0.0.1", 7001), Backend.of("127.0.0.1", 7002),
                Backend.of("127.0.0.1", 7003), Backend.of("127.0.0.1", 7004));
        resolver.add(backends.get(0)).add(backends.get(1));
        Pool<Conn> pool = Pool.builder("stress", connector).resolver(resolver)
                .policy(Policy.builder().maxSlots(MAX_SLOTS).sparesWanted(3).claimTimeout(Duration.ofSeconds(10))
                        .rebalanceInterval(Duration.ofMillis(20))
                        .backend(b -> b.maxSlots(3).healthInterval(Duration.ofMillis(5))).build())
                .build();

        ExecutorService threads = Executors.newFixedThreadPool(CLAIMERS + 2);
        AtomicBoolean claimersDone = new AtomicBoolean();
        AtomicInteger held = new AtomicInteger();
        AtomicLong served = new AtomicLong();
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> claimers = new java.util.ArrayList<>();
        for (int t = 0; t < CLAIMERS; t++) {
            claimers.add(threads.submit(() -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < CLAIMS_PER_THREAD; i++) {
                    Handle<Conn> handle = pool.claim();
                    held.incrementAndGet();
                    Conn conn = handle.get();
                    if (conn.users.incrementAndGet() != 1) {
                        violations.add(conn + " lent to two claimers at once");
                    }
                    if (conn.closed()) {
                        violations.add(conn + " lent after it was closed");
                    }
                    conn.users.decrementAndGet();
                    held.decrementAndGet();
                    served.incrementAndGet();
                    if (random.nextInt(20) == 0) {
                        handle.invalidate();
                    } else {
                        handle.close();
                    }
                }
                return null;
            }));
        }
        Future<?> churn = threads.submit(() -> {
            start.await();
            for (int i = 0; !claimersDone.get() && i < 100_000; i++) {
                Backend backend = backends.get(i % backends.size());
                if (i % 3 == 0) {
                    resolver.remove(backend);
                } else {
                    resolver.add(backend);
                }
                Thread.yield();
            }
            return null;
        });
        Future<Integer> sampler = threads.submit(() -> {
            start.await();
            int samples = 0;
            for (; !claimersDone.get() && samples < 1_000_000; samples++) {
                PoolStats stats = pool.stats();
                // A handle on a shrinking or removed backend keeps its slot until it returns.
                if (stats.claimed() > CLAIMERS) {
                    violations.add("claimed " + stats.claimed() + " with only " + CLAIMERS + " claimers: " + stats);
                }
                if (stats.slots() > MAX_SLOTS + CLAIMERS) {
                    violations.add("slots " + stats.slots() + " above max + claimers: " + stats);
                }
                for (BackendStats b : stats.backends().values()) {
                    if (b.connecting() < 0 || b.unclaimed() < 0 || b.checking() < 0 || b.claimed() < 0) {
                        violations.add("negative count: " + b);
                    }
                }
            }
            return samples;
        });

        start.countDown();
        for (Future<?> claimer : claimers) {
            claimer.get(120, TimeUnit.SECONDS);
        }
        claimersDone.set(true);
        churn.get(10, TimeUnit.SECONDS);
        assertThat(sampler.get(10, TimeUnit.SECONDS)).isPositive();
        threads.shutdown();

        assertThat(violations).isEmpty();
        assertThat(served.get()).isEqualTo((long) CLAIMERS * CLAIMS_PER_THREAD);
        assertThat(pool.stats().claims()).isLessThanOrEqualTo(served.get());

        pool.close();
        assertThat(pool.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(connector.open()).isZero();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
}
