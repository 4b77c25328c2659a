package dev.qorb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.qorb.testing.MutableResolver;
import dev.qorb.testing.ScriptedConnector;
import dev.qorb.testing.ScriptedConnector.Behaviour;
import dev.qorb.testing.ScriptedConnector.Conn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Overload and failure in the claim queue: a bound on waiting claims ({@code maxWaiters}),
 * CoDel's bound on how long a claim waits ({@code targetClaimDelay}; its shedding rule is tested
 * step by step in {@code ClaimSheddingTest} and {@code ClaimDelayTest}), and failing fast when
 * the resolver reports no backend ({@code failOnNoBackends}).
 */
class OverloadTest {

    private static final Backend BACKEND = Backend.of("127.0.0.1", 7001);

    private final ScriptedConnector connector = new ScriptedConnector();
    private final ExecutorService claimers = Executors.newCachedThreadPool();
    private final List<Pool<?>> pools = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        connector.gate.countDown();
        pools.forEach(Pool::close);
        claimers.shutdownNow();
        assertThat(claimers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private Pool<Conn> pool(MutableResolver resolver, Policy.Builder policy) {
        Pool<Conn> pool = Pool.builder("busy", connector).resolver(resolver)
                .policy(policy.maxSlots(1).sparesWanted(1).build()).build();
        pools.add(pool);
        return pool;
    }

    private Pool<Conn> oneConnection(Policy.Builder policy) {
        Pool<Conn> pool = pool(new MutableResolver().add(BACKEND), policy);
        await().until(() -> pool.stats().unclaimed() == 1);
        return pool;
    }

    private static ClaimException.Kind kindOf(Throwable failure) {
        Throwable cause = failure instanceof ExecutionException ? failure.getCause() : failure;
        assertThat(cause).isInstanceOf(ClaimException.class);
        return ((ClaimException) cause).kind();
    }

    @Test
    void aClaimBeyondMaxWaitersFailsAtOnceAndTheWaitersKeepTheirOrder() throws Exception {
        Pool<Conn> pool = oneConnection(Policy.builder().maxWaiters(2));
        Handle<Conn> held = pool.claim();
        List<Future<Integer>> waiting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int id = i;
            waiting.add(claimers.submit(() -> {
                try (Handle<Conn> handle = pool.claim()) {
                    return id;
                }
            }));
            await().until(() -> pool.stats().waiting() == id + 1);
        }

        // The claim timeout is 30 s: these fail at once, not when it passes.
        assertThatThrownBy(pool::claim).isInstanceOfSatisfying(ClaimException.class, e -> {
            assertThat(e.kind()).isEqualTo(ClaimException.Kind.TOO_MANY_WAITERS);
            assertThat(e).hasMessage("pool 'busy': 2 claims already waiting and maxWaiters is 2; 1 of max 1"
                    + " connections claimed, 2 claims waiting; raise maxWaiters or maxSlots, or shed load before"
                    + " it reaches the pool");
        });
        CompletableFuture<Handle<Conn>> async = pool.claimAsync();
        assertThatThrownBy(() -> async.get(10, TimeUnit.SECONDS))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ClaimException.Kind.TOO_MANY_WAITERS));
        assertThat(pool.stats().failedClaims().get(ClaimException.Kind.TOO_MANY_WAITERS)).isEqualTo(2);
        assertThat(pool.stats().waiting()).isEqualTo(2);

        held.close();
        assertThat(waiting.get(0).get(10, TimeUnit.SECONDS)).isZero();
        assertThat(waiting.get(1).get(10, TimeUnit.SECONDS)).isOne();
        // With room in the queue again, claims wait as usual.
        try (Handle<Conn> again = pool.claim()) {
            assertThat(again.get()).isNotNull();
        }
    }

    @Test
    void maxWaitersZeroMeansAClaimNeverWaits() {
        Pool<Conn> pool = oneConnection(Policy.builder().maxWaiters(0));
        try (Handle<Conn> held = pool.claim()) {
            assertThatThrownBy(pool::claim).isInstanceOfSatisfying(ClaimException.class,
                    e -> assertThat(e.kind()).isEqualTo(ClaimException.Kind.TOO_MANY_WAITERS));
        }
        // An idle connection is still lent: the bound is on waiting only.
        await().until(() -> pool.stats().unclaimed() == 1);
        pool.claim().close();
    }

    @Test
    void withATargetClaimDelayAClaimWaitsAtMostTenTimesIt() {
        Pool<Conn> pool = oneConnection(Policy.builder().targetClaimDelay(Duration.ofMillis(20)));
        try (Handle<Conn> held = pool.claim()) {
            // The claim timeout is 30 s; CoDel's bound is 200 ms while the pool is not overloaded.
            assertThatThrownBy(pool::claim).isInstanceOfSatisfying(ClaimException.class, e -> {
                assertThat(e.kind()).isEqualTo(ClaimException.Kind.OVERLOADED);
                assertThat(e).hasMessageContaining("the longest a claim may wait now with targetClaimDelay 20 ms"
                        + " (10 times the target");
            });
            CompletableFuture<Handle<Conn>> async = pool.claimAsync();
            assertThatThrownBy(() -> async.get(10, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ClaimException.Kind.OVERLOADED));
        }
        assertThat(pool.stats().failedClaims().get(ClaimException.Kind.OVERLOADED)).isEqualTo(2);
    }

    @Test
    void failOnNoBackendsFailsClaimsAtOnceWhenTheResolverReportsNone() throws Exception {
        MutableResolver resolver = new MutableResolver();
        Pool<Conn> pool = pool(resolver, Policy.builder().failOnNoBackends(true));
        assertThatThrownBy(pool::claim).isInstanceOfSatisfying(ClaimException.class, e -> {
            assertThat(e.kind()).isEqualTo(ClaimException.Kind.NO_BACKENDS);
            assertThat(e).hasMessage("pool 'busy': no backends: the resolver MutableResolver[] reports none");
        });

        // A claim waiting for a backend that cannot connect fails as soon as the resolver reports none.
        connector.connect = Behaviour.BLOCK;
        resolver.add(BACKEND);
        Future<Handle<Conn>> waiting = claimers.submit(() -> pool.claim());
        await().until(() -> pool.stats().waiting() == 1);
        resolver.remove(BACKEND);
        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ClaimException.Kind.NO_BACKENDS));
    }

    @Test
    void withoutFailOnNoBackendsAClaimWaitsForABackendToAppear() throws Exception {
        MutableResolver resolver = new MutableResolver();
        Pool<Conn> pool = pool(resolver, Policy.builder());
        Future<Backend> claimed = claimers.submit(() -> {
            try (Handle<Conn> handle = pool.claim()) {
                return handle.backend();
            }
        });
        await().until(() -> pool.stats().waiting() == 1);
        resolver.add(BACKEND);
        assertThat(claimed.get(10, TimeUnit.SECONDS)).isEqualTo(BACKEND);
    }
}
