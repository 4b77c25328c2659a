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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connector hooks that fail, hang or are slow: bounded, and the slots recover. Faults injected by a scripted connector. */
class ConnectorHooksTest {

    private static final Backend BACKEND = Backend.of("127.0.0.1", 7001);
    private static final Duration HOOK_TIMEOUT = Duration.ofMillis(200);

    private final ScriptedConnector connector = new ScriptedConnector();
    private final List<Pool<?>> pools = new ArrayList<>();
    private final ExecutorService claimers = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() throws Exception {
        connector.gate.countDown();
        pools.forEach(Pool::close);
        claimers.shutdownNow();
        assertThat(claimers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private Pool<Conn> pool(Policy.Builder policy) {
        Pool<Conn> pool = Pool.builder("hooks", connector)
                .resolver(new MutableResolver().add(BACKEND))
                .policy(policy.backend(b -> b.healthCheckTimeout(HOOK_TIMEOUT).minBackoff(Duration.ofMillis(5))
                        .maxBackoff(Duration.ofMillis(50)).spread(Duration.ZERO)).build())
                .build();
        pools.add(pool);
        return pool;
    }

    @Test
    void aFailingOnAcquireMovesTheClaimToAnotherConnection() {
        Pool<Conn> pool = pool(Policy.builder().maxSlots(2).sparesWanted(2));
        await().until(() -> pool.stats().unclaimed() == 2);
        connector.onAcquire = Behaviour.FAIL;
        assertThatThrownBy(() -> pool.claim(Duration.ofMillis(300)))
                .isInstanceOf(ClaimException.class);
        assertThat(connector.onAcquireCalls.get()).isGreaterThanOrEqualTo(2);

        connector.onAcquire = Behaviour.OK;
        try (Handle<Conn> handle = pool.claim(Duration.ofSeconds(5))) {
            assertThat(handle.get().closed()).isFalse();
        }
        assertThat(pool.stats().backends().get(BACKEND.toString()).recentFailures()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aHangingOnAcquireIsCutOffAtTheHealthCheckTimeout() throws Exception {
        Pool<Conn> pool = pool(Policy.builder().maxSlots(1).sparesWanted(1));
        await().until(() -> pool.stats().unclaimed() == 1);
        connector.onAcquire = Behaviour.BLOCK;
        Future<?> claim = claimers.submit(() -> pool.claim(Duration.ofSeconds(1)));
        // Each try is interrupted after the hook timeout and retried until the claim's deadline.
        assertThatThrownBy(() -> claim.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ClaimException.class);
        assertThat(connector.onAcquireCalls.get()).isBetween(2, 6);

        connector.onAcquire = Behaviour.OK;
        try (Handle<Conn> handle = pool.claim(Duration.ofSeconds(5))) {
            assertThat(handle.get()).isNotNull();
        }
    }

    @Test
    void aHangingHealthCheckIsCutOffAndTheSlotReconnects() {
        Pool<Conn> pool = pool(Policy.builder().maxSlots(1).sparesWanted(1)
                .backend(b -> b.healthInterval(Duration.ofMillis(20))));
        await().until(() -> pool.stats().unclaimed() == 1);
        Conn first = connector.made.get(0);
        connector.isValid = Behaviour.BLOCK;

        // The hanging isValid is abandoned: the connection is closed and a new one made.
        await().atMost(Duration.ofSeconds(5)).until(first::closed);
        connector.isValid = Behaviour.OK;
        connector.gate.countDown();
        await().until(() -> pool.stats().unclaimed() == 1 && connector.made.size() >= 2);
        assertThat(pool.stats().backends().get(BACKEND.toString()).lastError()).get().asString()
                .contains("TimeoutException");
    }

    @Test
    void aFailingHealthCheckClosesTheConnectionAndTheSlotReconnects() {
        Pool<Conn> pool = pool(Policy.builder().maxSlots(1).sparesWanted(1)
                .backend(b -> b.healthInterval(Duration.ofMillis(20))));
        await().until(() -> pool.stats().unclaimed() == 1);
        connector.isValid = Behaviour.FAIL;
        await().until(() -> connector.made.size() >= 3);
        assertThat(connector.made.get(0).closed()).isTrue();

        connector.isValid = Behaviour.OK;
        await().until(() -> pool.stats().unclaimed() == 1);
        try (Handle<Conn> handle = pool.claim(Duration.ofSeconds(5))) {
            assertThat(handle.get().closed()).isFalse();
        }
    }

    @Test
    void aFailingOrHangingRecycleClosesTheReturnedConnectionAndTheSlotReconnects() {
        for (Behaviour bad : new Behaviour[] {Behaviour.FAIL, Behaviour.BLOCK}) {
            Pool<Conn> pool = pool(Policy.builder().maxSlots(1).sparesWanted(1));
            connector.onRecycle = bad;
            Handle<Conn> handle = pool.claim(Duration.ofSeconds(5));
            Conn returned = handle.get();
            handle.close();

            await().atMost(Duration.ofSeconds(5)).until(returned::closed);
            connector.onRecycle = Behaviour.OK;
            try (Handle<Conn> next = pool.claim(Duration.ofSeconds(5))) {
                assertThat(next.get()).isNotSameAs(returned);
                assertThat(next.get().closed()).isFalse();
            }
            pool.close();
            connector.gate.countDown();
            connector.gate = new CountDownLatch(1);
        }
    }

    @Test
    void closeDuringASlowConnectDoesNotHangAndClosesTheLateConnection() throws Exception {
        connector.connect = Behaviour.BLOCK;
        Pool<Conn> pool = pool(Policy.builder().maxSlots(1).sparesWanted(1)
                .backend(b -> b.connectTimeout(Duration.ofSeconds(30))));
        await().until(() -> connector.blocked.get() == 1);

        pool.close();
        assertThat(pool.state()).isEqualTo(PoolState.STOPPING);

        connector.connect = Behaviour.OK;
        connector.gate.countDown();
        assertThat(pool.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(connector.open()).isZero();
    }

    @Test
    void closeDuringASlowClaimFailsItAndTheConnectionClosesWhenItReturns() throws Exception {
        Pool<Conn> pool = pool(Policy.builder().maxSlots(1).sparesWanted(1)
                .backend(b -> b.healthCheckTimeout(Duration.ofSeconds(30))));
        await().until(() -> pool.stats().unclaimed() == 1);
        connector.onAcquire = Behaviour.BLOCK;
        Future<Handle<Conn>> slow = claimers.submit(() -> pool.claim(Duration.ofSeconds(30)));
        await().until(() -> connector.blocked.get() == 1);

        pool.close();
        connector.gate.countDown();
        // The claim in progress completes; its connection is closed when it is given back.
        Handle<Conn> handle = slow.get(10, TimeUnit.SECONDS);
        handle.close();
        assertThat(pool.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(connector.open()).isZero();
    }

    @Test
    void aConnectThatHangsPastTheConnectTimeoutIsRetried() {
        connector.connect = Behaviour.BLOCK;
        Pool<Conn> pool = pool(Policy.builder().maxSlots(1).sparesWanted(1)
                .backend(b -> b.connectTimeout(Duration.ofMillis(100))));
        await().until(() -> connector.connects.get() >= 2);
        connector.connect = Behaviour.OK;
        connector.gate.countDown();
        await().until(() -> pool.stats().unclaimed() == 1);
        assertThat(pool.stats().backends().get(BACKEND.toString()).lastError()).get().asString()
                .startsWith("TimeoutException");
    }
}
