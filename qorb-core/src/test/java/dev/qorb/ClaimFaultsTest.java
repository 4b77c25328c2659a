package dev.qorb;

import static dev.qorb.testing.FaultyConnector.Fault.FAIL;
import static dev.qorb.testing.FaultyConnector.Fault.HANG;
import static dev.qorb.testing.FaultyConnector.Fault.HANG_INTERRUPTIBLY;
import static dev.qorb.testing.FaultyConnector.Hook.ON_ACQUIRE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qorb.connector.Connector;
import dev.qorb.testing.FaultyConnector;
import dev.qorb.testing.FaultyConnector.Conn;
import dev.qorb.testing.MutableResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Claims whose thread is interrupted or whose backend goes away mid-claim. Issue 9, items 8 and 10. */
class ClaimFaultsTest {

    private static final Backend A = Backend.of("127.0.0.1", 7001);
    private static final Backend B = Backend.of("127.0.0.1", 7002);

    private final FaultyConnector connector = new FaultyConnector();
    private final MutableResolver resolver = new MutableResolver().add(A);
    private final List<Pool<?>> pools = new ArrayList<>();
    private final ExecutorService claimers = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() throws InterruptedException {
        connector.releaseAll();
        pools.forEach(Pool::close);
        claimers.shutdownNow();
        assertThat(claimers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private Pool<Conn> pool(Connector<Conn> connector, Duration hookTimeout) {
        Pool<Conn> pool = Pool.builder("claims", connector).resolver(resolver)
                .policy(Policy.builder().maxSlots(1).sparesWanted(1)
                        .backend(b -> b.healthCheckTimeout(hookTimeout).noHealthChecks()).build())
                .build();
        pools.add(pool);
        await().until(() -> pool.stats().unclaimed() == 1);
        return pool;
    }

    /** How a claim on another thread ended. */
    private record Outcome(ClaimException.Kind kind, boolean interruptFlag, long millis) {
    }

    private Future<Outcome> claimOnAnotherThread(Pool<Conn> pool, Duration timeout, boolean interruptFirst,
            AtomicReference<Thread> claimer) {
        return claimers.submit(() -> {
            claimer.set(Thread.currentThread());
            if (interruptFirst) {
                Thread.currentThread().interrupt();
            }
            long start = System.nanoTime();
            ClaimException.Kind failed = null;
            try {
                pool.claim(timeout).close();
            } catch (ClaimException e) {
                failed = e.kind();
            }
            return new Outcome(failed, Thread.interrupted(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        });
    }

    /**
     * Item 8: an interrupted thread whose claim hits a failing onAcquire fails at once with
     * INTERRUPTED and keeps its flag, instead of retrying onAcquire in a spin until the
     * deadline.
     */
    @Test
    void anInterruptedClaimerFailsAtOnceKeepingItsFlagInsteadOfRetrying() throws Exception {
        Pool<Conn> pool = pool(connector.withoutRecycleCheck(), Duration.ofSeconds(1));
        connector.set(ON_ACQUIRE, FAIL);

        Outcome outcome = claimOnAnotherThread(pool, Duration.ofSeconds(2), true, new AtomicReference<>())
                .get(10, TimeUnit.SECONDS);

        assertThat(outcome.kind()).as("%s; onAcquire called %d times", outcome, connector.calls(ON_ACQUIRE))
                .isEqualTo(ClaimException.Kind.INTERRUPTED);
        assertThat(outcome.interruptFlag()).isTrue();
        assertThat(outcome.millis()).isLessThan(1_000);
        assertThat(connector.calls(ON_ACQUIRE)).isLessThanOrEqualTo(1);
    }

    /**
     * Item 8: an interrupt while onAcquire runs fails the claim with INTERRUPTED, flag kept,
     * and is not held against the backend (it is the claimer's doing, not the backend's).
     */
    @Test
    void anInterruptDuringOnAcquireFailsTheClaimWithoutChargingTheBackend() throws Exception {
        Pool<Conn> pool = pool(connector, Duration.ofMillis(500));
        connector.set(ON_ACQUIRE, HANG_INTERRUPTIBLY);
        AtomicReference<Thread> claimer = new AtomicReference<>();
        Future<Outcome> claim = claimOnAnotherThread(pool, Duration.ofSeconds(2), false, claimer);
        await().until(() -> connector.inFlight(ON_ACQUIRE) == 1);

        claimer.get().interrupt();
        Outcome outcome = claim.get(10, TimeUnit.SECONDS);

        BackendStats backend = pool.stats().backends().get(A.toString());
        assertThat(outcome.kind()).as("%s; onAcquire called %d times; %s", outcome, connector.calls(ON_ACQUIRE),
                backend).isEqualTo(ClaimException.Kind.INTERRUPTED);
        assertThat(outcome.interruptFlag()).isTrue();
        assertThat(backend.checkFailures()).isZero();
        connector.release(ON_ACQUIRE);
        try (Handle<Conn> handle = pool.claim(Duration.ofSeconds(5))) {
            assertThat(handle.get().closed()).isFalse();
        }
    }

    /**
     * Item 10: a claim served by a backend that the resolver removed while the claim was in
     * onAcquire still counts in {@link PoolStats#claims()}.
     */
    @Test
    void aClaimServedByABackendRemovedDuringOnAcquireIsCounted() throws Exception {
        Pool<Conn> pool = pool(connector, Duration.ofSeconds(10));
        connector.set(ON_ACQUIRE, HANG, A);
        Future<Handle<Conn>> claim = claimers.submit(() -> pool.claim(Duration.ofSeconds(10)));
        await().until(() -> connector.inFlight(ON_ACQUIRE) == 1);

        resolver.publish(B);
        await().until(() -> !pool.stats().backends().containsKey(A.toString()));
        connector.release(ON_ACQUIRE);
        Handle<Conn> fromRemoved = claim.get(10, TimeUnit.SECONDS);
        assertThat(fromRemoved.backend()).isEqualTo(A);
        fromRemoved.close();
        try (Handle<Conn> fromB = pool.claim(Duration.ofSeconds(5))) {
            assertThat(fromB.backend()).isEqualTo(B);
        }

        assertThat(pool.stats().claims()).as("claims served, one of them by a backend removed meanwhile").isEqualTo(2);
    }
}
