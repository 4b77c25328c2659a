package dev.qorb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qorb.testing.FaultyConnector;
import dev.qorb.testing.FaultyConnector.Conn;
import dev.qorb.testing.MutableResolver;
import dev.qorb.testing.QuietLogs;
import java.time.Duration;
import java.util.ArrayList;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Many threads claiming, releasing and invalidating while backends come and go and idle
 * connections are health-checked. Checks, through the connector's own books: no connection
 * lent to two claimers at once, no hook called on a connection that is lent out or closed,
 * {@link PoolStats#claims()} equal to the claims made, and nothing open after close.
 *
 * <p>The default run is short. {@code -Dqorb.stress.operations=N} sets the number of claims,
 * {@code -Dqorb.stress.seconds=S} the time they must be done in; the Maven profile
 * {@code stress} runs a million (issue 9).
 */
class StressTest {

    private static final int CLAIMERS = 8;
    private static final int MAX_SLOTS = 6;
    private static final int CLAIMS_PER_BACKEND_CHANGE = 20;
    private static final long OPERATIONS = Long.getLong("qorb.stress.operations", 24_000);
    private static final long SECONDS = Long.getLong("qorb.stress.seconds", 60);

    @Test
    void claimsStayExclusiveHooksStayOffLentConnectionsAndCountsAreExactWhileBackendsChange() throws Exception {
        FaultyConnector connector = new FaultyConnector();
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        AtomicLong tickets = new AtomicLong();
        AtomicLong made = new AtomicLong();
        AtomicLong invalidated = new AtomicLong();
        AtomicLong backendChanges = new AtomicLong();
        AtomicBoolean claimersDone = new AtomicBoolean();
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        long started;
        long elapsedNanos;
        QuietLogs quiet = QuietLogs.warnOnly("dev.qorb");
        try {
            List<Future<?>> claimers = new ArrayList<>();
            for (int t = 0; t < CLAIMERS; t++) {
                claimers.add(threads.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (System.nanoTime() < deadline && tickets.getAndIncrement() < OPERATIONS) {
                        Handle<Conn> handle = pool.claim();
                        made.incrementAndGet();
                        connector.lend(handle);
                        boolean invalidate = random.nextInt(20) == 0;
                        if (invalidate) {
                            invalidated.incrementAndGet();
                        }
                        connector.giveBack(handle, invalidate);
                    }
                    return null;
                }));
            }
            Future<?> churn = threads.submit(() -> {
                start.await();
                for (int i = 0; !claimersDone.get() && System.nanoTime() < deadline; ) {
                    if (made.get() < (long) i * CLAIMS_PER_BACKEND_CHANGE) {
                        LockSupport.parkNanos(20_000); // paced by the claims, so that runs of any length churn alike
                        continue;
                    }
                    Backend backend = backends.get(i % backends.size());
                    if (i % 3 == 0) {
                        resolver.remove(backend);
                    } else {
                        resolver.add(backend);
                    }
                    backendChanges.incrementAndGet();
                    i++;
                }
                return null;
            });
            Future<Integer> sampler = threads.submit(() -> {
                start.await();
                int samples = 0;
                for (; !claimersDone.get() && System.nanoTime() < deadline; samples++) {
                    sample(pool.stats(), violations);
                }
                return samples;
            });

            started = System.nanoTime();
            start.countDown();
            for (Future<?> claimer : claimers) {
                claimer.get(SECONDS + 30, TimeUnit.SECONDS);
            }
            elapsedNanos = System.nanoTime() - started;
            claimersDone.set(true);
            churn.get(10, TimeUnit.SECONDS);
            assertThat(sampler.get(10, TimeUnit.SECONDS)).isPositive();
        } finally {
            threads.shutdownNow();
            quiet.restore();
        }
        long counted = pool.stats().claims();
        pool.close();
        boolean stopped = pool.awaitTermination(Duration.ofSeconds(10));
        System.out.printf("stress: %d claims (%d invalidated) by %d threads in %d ms, %.0f claims/s, %d backend"
                + " changes; pool counted %d claims; double lends %d; connector violations %d; stats violations %d;"
                + " stopped %b, open after close %d%n", made.get(), invalidated.get(), CLAIMERS,
                TimeUnit.NANOSECONDS.toMillis(elapsedNanos), made.get() * 1e9 / elapsedNanos, backendChanges.get(),
                counted, connector.doubleLends(), connector.violations().size(), violations.size(), stopped,
                connector.open());

        assertThat(made.get()).as("claims made within %d s", SECONDS).isEqualTo(OPERATIONS);
        assertThat(connector.doubleLends()).isZero();
        assertThat(connector.violations()).isEmpty();
        assertThat(violations).isEmpty();
        assertThat(counted).as("PoolStats.claims() after %d claims", made.get()).isEqualTo(made.get());
        assertThat(stopped).isTrue();
        assertThat(connector.open()).isZero();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** What a snapshot must show at any moment; the first violations are kept. */
    private static void sample(PoolStats stats, Queue<String> violations) {
        if (violations.size() >= 100) {
            return;
        }
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
}
