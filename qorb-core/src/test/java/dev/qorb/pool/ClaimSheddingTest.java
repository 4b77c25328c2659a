package dev.qorb.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.qorb.Backend;
import dev.qorb.ClaimException;
import dev.qorb.Handle;
import dev.qorb.Policy;
import dev.qorb.connector.Connector;
import dev.qorb.metrics.MetricsTracker;
import dev.qorb.testing.MutableResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CoDel in a pool ({@code Policy.targetClaimDelay}), on a clock the test moves: one connection,
 * claims queued behind it, and the connection handed from one to the next at chosen times.
 * The connector has no recycle check, so a release lends the connection in the releasing
 * thread, and async claims complete there too: every step is done when {@code close()} returns.
 */
class ClaimSheddingTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Long, so that no real-time deadline (ten times the target) can fire during the test. */
    private static final Duration TARGET = Duration.ofHours(1);

    private final AtomicLong now = new AtomicLong(1_000 * MS);
    private final ExecutorService claimers = Executors.newCachedThreadPool();
    private QorbPool<Object> pool;

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.close();
        claimers.shutdownNow();
        assertThat(claimers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private void start(Policy policy) {
        Connector<Object> connector = backend -> new Object();
        pool = new QorbPool<>("codel", connector, new MutableResolver().add(Backend.of("127.0.0.1", 7001)), policy,
                new QorbPool.Threads(SharedExecutors.scheduler(), SharedExecutors.workers(),
                        SharedExecutors.compensation(), Runnable::run),
                now::get, ThreadLocalRandom::current, measured -> MetricsTracker.NONE);
        pool.start();
        await().until(() -> pool.stats().unclaimed() == 1);
    }

    private static Policy oneConnection(Policy.Builder policy) {
        // A claim timeout longer than ten times the target: the blocking claim's deadline is CoDel's bound,
        // ten hours on the test's clock, which the test never reaches.
        return policy.maxSlots(1).sparesWanted(1).claimTimeout(Duration.ofDays(1)).backend(b -> b.noHealthChecks())
                .build();
    }

    private void advance(long nanos) {
        now.addAndGet(nanos);
    }

    private static ClaimException.Kind failure(CompletableFuture<Handle<Object>> claim) {
        assertThat(claim).isCompletedExceptionally();
        try {
            claim.join();
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return ((ClaimException) e.getCause()).kind();
        }
    }

    @Test
    void underAStandingQueueSomeWaitersAreShedAndTheRestServedInOrder() throws Exception {
        start(oneConnection(Policy.builder().targetClaimDelay(TARGET)));
        Handle<Object> held = pool.claim();
        List<CompletableFuture<Handle<Object>>> claims = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            claims.add(pool.claimAsync());
        }
        // A blocking claim in the middle of the queue, to see a shed claimer's thread fail too.
        Future<Handle<Object>> blocking = claimers.submit(() -> pool.claim());
        await().until(() -> pool.stats().waiting() == 3);
        for (int i = 0; i < 4; i++) {
            claims.add(pool.claimAsync());
        }

        // Each release hands the connection to the next claim; all waited more than the target.
        advance(TARGET.toNanos() + MS);
        held.close();                         // A: first above target, noted; served
        advance(100 * MS);
        claims.get(0).join().close();         // B: above for an interval: may drop, not yet dropping; served
        advance(100 * MS);
        claims.get(1).join().close();         // C (blocking) shed, dropping starts; D served
        assertThatThrownBy(() -> blocking.get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(
                ClaimException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ClaimException.Kind.OVERLOADED);
                    assertThat(e).hasMessageContaining("claim shed after waiting 3600201 ms")
                            .hasMessageContaining("targetClaimDelay (3600000 ms) for more than 100 ms");
                });
        advance(50 * MS);
        claims.get(2).join().close();         // E: next drop not due yet; served
        advance(50 * MS);
        claims.get(3).join().close();         // F shed (the drop due now); G served

        assertThat(claims.get(0)).isCompleted();
        assertThat(claims.get(1)).isCompleted();
        assertThat(claims.get(2)).isCompleted();
        assertThat(claims.get(3)).isCompleted();
        assertThat(failure(claims.get(4))).isEqualTo(ClaimException.Kind.OVERLOADED);
        assertThat(claims.get(5)).isCompleted();

        // A claim that waits less than the target ends the dropping: served although a drop is due.
        CompletableFuture<Handle<Object>> fresh = pool.claimAsync();
        advance(100 * MS);
        claims.get(5).join().close();
        assertThat(fresh).isCompleted();
        fresh.join().close();
        assertThat(pool.stats().failedClaims().get(ClaimException.Kind.OVERLOADED)).isEqualTo(2);
        assertThat(pool.stats().claims()).isEqualTo(7);
    }

    @Test
    void withoutATargetNoClaimIsShedHoweverLongItWaited() {
        start(oneConnection(Policy.builder()));
        Handle<Object> held = pool.claim();
        List<CompletableFuture<Handle<Object>>> claims = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            claims.add(pool.claimAsync());
        }
        advance(TARGET.toNanos());
        held.close();
        for (CompletableFuture<Handle<Object>> claim : claims) {
            advance(100 * MS);
            claim.join().close();
        }
        assertThat(pool.stats().failedClaims().get(ClaimException.Kind.OVERLOADED)).isZero();
    }
}
