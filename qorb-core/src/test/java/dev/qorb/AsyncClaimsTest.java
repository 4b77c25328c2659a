package dev.qorb;

import static dev.qorb.testing.FaultyConnector.Fault.HANG;
import static dev.qorb.testing.FaultyConnector.Hook.ON_ACQUIRE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qorb.resolver.FixedResolver;
import dev.qorb.testing.FaultyConnector;
import dev.qorb.testing.FaultyConnector.Conn;
import dev.qorb.testing.StalledContinuation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code claimAsync}: where its futures complete, and what completing them from outside
 * does. Issue 9, items 6 and 7.
 */
class AsyncClaimsTest {

    private static final Backend A = Backend.of("127.0.0.1", 7001);

    private final FaultyConnector connector = new FaultyConnector();
    private final List<Pool<?>> pools = new ArrayList<>();

    @AfterEach
    void tearDown() {
        connector.releaseAll();
        pools.forEach(Pool::close);
    }

    private Pool<Conn> pool(String name, Duration claimTimeout) {
        Pool<Conn> pool = Pool.builder(name, connector).resolver(FixedResolver.of(A))
                .policy(Policy.builder().maxSlots(1).sparesWanted(1).claimTimeout(claimTimeout)
                        .backend(b -> b.healthCheckTimeout(Duration.ofSeconds(10)).noHealthChecks()).build())
                .build();
        pools.add(pool);
        return pool;
    }

    /** Item 6: a claim failing at its deadline does not run its continuations on qorb's scheduler. */
    @Test
    void continuationsAtTheDeadlineDoNotRunOnQorbsThreads() throws Exception {
        Pool<Conn> pool = pool("times-out", Duration.ofMillis(100));
        Handle<Conn> held = pool.claim(Duration.ofSeconds(5));
        CompletableFuture<String> atDeadline = pool.claimAsync()
                .handle((handle, failure) -> Thread.currentThread().getName());
        assertThat(atDeadline.get(5, TimeUnit.SECONDS)).as("thread completing a claim at its deadline")
                .doesNotStartWith("qorb-");
        held.close();
    }

    /** Item 6: a waiting claim served by a returning connection does not run its continuations on qorb's workers. */
    @Test
    void continuationsOfAServedClaimDoNotRunOnQorbsThreads() throws Exception {
        Pool<Conn> pool = pool("serves", Duration.ofSeconds(5));
        Handle<Conn> held = pool.claim(Duration.ofSeconds(5));
        CompletableFuture<String> whenServed = pool.claimAsync().handle((handle, failure) -> {
            handle.close();
            return Thread.currentThread().getName();
        });
        await().until(() -> pool.stats().waiting() == 1);
        held.close();
        assertThat(whenServed.get(5, TimeUnit.SECONDS)).as("thread completing a served claim").doesNotStartWith("qorb-");
    }

    /**
     * Item 6: a continuation that takes its time in one pool must not hold up another pool's
     * claim deadline. The other pool's failed-claim count shows when its deadline was acted
     * on, whichever thread then completes its future.
     */
    @Test
    void aSlowContinuationInOnePoolDoesNotDelayAnotherPoolsDeadline() throws Exception {
        Pool<Conn> slow = pool("slow-callback", Duration.ofMillis(100));
        Pool<Conn> other = pool("other", Duration.ofMillis(100));
        Handle<Conn> heldSlow = slow.claim(Duration.ofSeconds(5));
        Handle<Conn> heldOther = other.claim(Duration.ofSeconds(5));
        try (StalledContinuation stalled = StalledContinuation.in(slow)) {
            other.claimAsync();
            await().atMost(Duration.ofMillis(1500)).untilAsserted(() ->
                    assertThat(other.stats().failedClaims().get(ClaimException.Kind.ALL_CLAIMS_USED))
                            .as("claims of the other pool failed at their 100 ms deadline").isEqualTo(1L));
            heldSlow.close();
            heldOther.close();
        }
    }

    /**
     * Item 7: a future the caller completes itself (completeExceptionally, orTimeout) gives
     * up its place in the queue; waiters of dead futures used to stay until served.
     */
    @Test
    void aFutureCompletedByTheCallerWithdrawsItsWaiter() throws Exception {
        Pool<Conn> pool = pool("withdraw", Duration.ofSeconds(30));
        Handle<Conn> held = pool.claim(Duration.ofSeconds(5));
        List<CompletableFuture<Handle<Conn>>> given = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            CompletableFuture<Handle<Conn>> claim = pool.claimAsync();
            if (i % 2 == 0) {
                claim.completeExceptionally(new IllegalStateException("the caller gave up"));
            } else {
                claim.orTimeout(1, TimeUnit.MILLISECONDS);
            }
            given.add(claim);
        }
        await().until(() -> given.stream().allMatch(CompletableFuture::isDone));

        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(pool.stats().waiting())
                .as("claims waiting after all 1 000 futures were completed by the caller").isZero());
        held.close();
        try (Handle<Conn> next = pool.claim(Duration.ofSeconds(1))) {
            assertThat(next.get().closed()).isFalse();
        }
    }

    /**
     * Item 7: an async claim honours its deadline even when the connection it picked is
     * stuck in {@code onAcquire} (here ignoring interrupts, with a 10 s hook bound).
     */
    @Test
    void anAsyncClaimHonoursItsDeadlineWhileOnAcquireHangs() {
        Pool<Conn> pool = pool("acquire-hangs", Duration.ofMillis(300));
        await().until(() -> pool.stats().unclaimed() == 1);
        connector.set(ON_ACQUIRE, HANG);

        CompletableFuture<Handle<Conn>> claim = pool.claimAsync();

        assertThat(claim).as("async claim with a 300 ms deadline").failsWithin(Duration.ofSeconds(2))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ClaimException.class);
    }
}
