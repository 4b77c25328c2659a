package dev.qorb;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Pool.Builder.callbackExecutor}: where claimAsync's futures complete. Issue 9,
 * item 6 (the default is tested in {@code AsyncClaimsTest}).
 */
class CallbackExecutorTest {

    private static final Backend A = Backend.of("127.0.0.1", 7001);

    private final FaultyConnector connector = new FaultyConnector();
    private final List<Pool<?>> pools = new ArrayList<>();
    private final List<ExecutorService> executors = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        pools.forEach(Pool::close);
        for (ExecutorService executor : executors) {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private ExecutorService callbacks(String name) {
        ExecutorService executor = Executors.newSingleThreadExecutor(task -> new Thread(task, name));
        executors.add(executor);
        return executor;
    }

    private Pool<Conn> pool(String name, Duration claimTimeout, ExecutorService callbacks) {
        Pool<Conn> pool = Pool.builder(name, connector).resolver(FixedResolver.of(A)).callbackExecutor(callbacks)
                .policy(Policy.builder().maxSlots(1).sparesWanted(1).claimTimeout(claimTimeout).build())
                .build();
        pools.add(pool);
        return pool;
    }

    /** Futures failing at their deadline and futures served by a returning connection both complete on the executor given. */
    @Test
    void claimAsyncCompletesOnTheCallbackExecutorGiven() throws Exception {
        Pool<Conn> timingOut = pool("times-out", Duration.ofMillis(100), callbacks("test-callbacks-1"));
        Handle<Conn> heldThere = timingOut.claim(Duration.ofSeconds(5));
        CompletableFuture<String> atDeadline = timingOut.claimAsync()
                .handle((handle, failure) -> Thread.currentThread().getName());
        assertThat(atDeadline.get(5, TimeUnit.SECONDS)).isEqualTo("test-callbacks-1");

        Pool<Conn> serving = pool("serves", Duration.ofSeconds(5), callbacks("test-callbacks-2"));
        Handle<Conn> held = serving.claim(Duration.ofSeconds(5));
        CompletableFuture<String> whenServed = serving.claimAsync().handle((handle, failure) -> {
            handle.close();
            return Thread.currentThread().getName();
        });
        await().until(() -> serving.stats().waiting() == 1);
        held.close();
        assertThat(whenServed.get(5, TimeUnit.SECONDS)).isEqualTo("test-callbacks-2");
        heldThere.close();
    }

    /**
     * A 3 s continuation of one pool's claim does not delay another pool's 100 ms deadline:
     * that future fails on time (it failed at 3.1 s when both completed on qorb's scheduler).
     */
    @Test
    void aSlowContinuationInOnePoolDoesNotDelayAnotherPoolsClaimAsyncDeadline() throws Exception {
        Pool<Conn> slow = pool("slow-callback", Duration.ofMillis(100), callbacks("test-callbacks-slow"));
        Pool<Conn> other = pool("other", Duration.ofMillis(100), callbacks("test-callbacks-other"));
        Handle<Conn> heldSlow = slow.claim(Duration.ofSeconds(5));
        Handle<Conn> heldOther = other.claim(Duration.ofSeconds(5));
        try (StalledContinuation stalled = StalledContinuation.in(slow)) {
            long start = System.nanoTime();
            CompletableFuture<String> otherClaim = other.claimAsync().handle((handle, failure) -> {
                assertThat(failure).isInstanceOf(ClaimException.class);
                return Thread.currentThread().getName();
            });
            assertThat(otherClaim).as("the other pool's claim, 100 ms deadline").succeedsWithin(Duration.ofMillis(1500))
                    .isEqualTo("test-callbacks-other");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
            heldSlow.close();
            heldOther.close();
        }
    }
}
