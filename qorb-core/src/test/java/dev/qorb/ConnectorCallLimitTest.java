package dev.qorb;

import static dev.qorb.testing.FaultyConnector.Fault.HANG;
import static dev.qorb.testing.FaultyConnector.Hook.CONNECT;
import static dev.qorb.testing.FaultyConnector.Hook.IS_VALID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.qorb.resolver.FixedResolver;
import dev.qorb.testing.FaultyConnector;
import dev.qorb.testing.FaultyConnector.Conn;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Policy.Builder.maxConnectorCalls}: a pool's bound on connector calls in flight,
 * hung ones included. Issue 9, "Threads: no pool can starve another" (the default of 4 and
 * one call per slot are tested in {@code ConnectorThreadsTest}).
 */
class ConnectorCallLimitTest {

    private static final Backend A = Backend.of("127.0.0.1", 7001);

    private final FaultyConnector connector = new FaultyConnector();
    private Pool<Conn> pool;

    @AfterEach
    void tearDown() {
        connector.releaseAll();
        if (pool != null) {
            pool.close();
        }
    }

    private Pool<Conn> pool(int maxConnectorCalls, int slots) {
        pool = Pool.builder("limited", connector).resolver(FixedResolver.of(A))
                .policy(Policy.builder().maxSlots(slots).sparesWanted(slots).maxConnectorCalls(maxConnectorCalls)
                        .backend(b -> b.maxSlots(slots).connectTimeout(Duration.ofMillis(100))
                                .healthCheckTimeout(Duration.ofMillis(100)).healthInterval(Duration.ofMillis(20))
                                .minBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(10)))
                        .build())
                .build();
        return pool;
    }

    /** Eight slots whose connects hang past their timeout, ignoring interrupts: two connects run, no more. */
    @Test
    void hungConnectsCountAgainstThePoolsLimit() {
        connector.set(CONNECT, HANG);
        Pool<Conn> pool = pool(2, 8);
        await().until(() -> connector.inFlight(CONNECT) >= 2);

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(connector.maxInFlight(CONNECT)).as("connects in flight, limit 2").isEqualTo(2));
        assertThat(connector.calls(CONNECT)).as("connects started while two hang").isEqualTo(2);
        connector.release(CONNECT);
        await().until(() -> pool.stats().unclaimed() == 8);
        assertThat(connector.maxInFlight(CONNECT)).isEqualTo(2);
    }

    /** Health checks that hang ignoring interrupts are bounded the same way. */
    @Test
    void hungHealthChecksCountAgainstThePoolsLimit() {
        Pool<Conn> pool = pool(2, 8);
        await().until(() -> pool.stats().unclaimed() == 8);
        connector.set(IS_VALID, HANG);

        await().until(() -> connector.inFlight(IS_VALID) >= 2);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(connector.maxInFlight(IS_VALID)).as("health checks in flight, limit 2").isEqualTo(2));
        connector.release(IS_VALID);
    }

    @Test
    void theLimitMustBePositive() {
        assertThatThrownBy(() -> Policy.builder().maxConnectorCalls(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConnectorCalls");
    }
}
