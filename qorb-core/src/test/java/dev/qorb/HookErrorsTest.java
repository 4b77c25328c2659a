package dev.qorb;

import static dev.qorb.testing.FaultyConnector.Fault.ASSERTION_ERROR;
import static dev.qorb.testing.FaultyConnector.Fault.CUSTOM_ERROR;
import static dev.qorb.testing.FaultyConnector.Hook.CLOSE;
import static dev.qorb.testing.FaultyConnector.Hook.CONNECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import dev.qorb.resolver.FixedResolver;
import dev.qorb.testing.FaultyConnector;
import dev.qorb.testing.FaultyConnector.Conn;
import dev.qorb.testing.FaultyConnector.Fault;
import dev.qorb.testing.FaultyConnector.Hook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9, item 4: an {@link Error} from user code (an {@code AssertionError}, Kotlin's
 * {@code TODO()}) is a hook failure like any exception. It must not leave a slot stuck, fail
 * later claims, or keep the pool from stopping.
 */
class HookErrorsTest {

    private static final Backend A = Backend.of("127.0.0.1", 7001);

    private final FaultyConnector connector = new FaultyConnector();
    private final List<Pool<?>> pools = new ArrayList<>();

    @AfterEach
    void tearDown() {
        connector.releaseAll();
        pools.forEach(Pool::close);
    }

    private Pool<Conn> pool(int slots) {
        Pool<Conn> pool = Pool.builder("errors", connector).resolver(FixedResolver.of(A))
                .policy(Policy.builder().maxSlots(slots).sparesWanted(slots)
                        .backend(b -> b.healthInterval(Duration.ofMillis(20)).healthCheckTimeout(Duration.ofMillis(500))
                                .minBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(5)))
                        .build())
                .build();
        pools.add(pool);
        return pool;
    }

    static Stream<Arguments> hooksAndErrors() {
        return Stream.of(Hook.values()).flatMap(hook -> Stream.of(ASSERTION_ERROR, CUSTOM_ERROR)
                .map(error -> Arguments.of(hook, error)));
    }

    /**
     * Each hook in turn throws an Error while the pool connects, checks, lends, recycles and
     * replaces its one connection; once the hook behaves again the pool serves claims, and
     * it stops with every connection closed.
     */
    @ParameterizedTest(name = "{1} from {0}")
    @MethodSource("hooksAndErrors")
    void anErrorFromAHookIsAFailureThePoolRecoversFrom(Hook hook, Fault error) throws InterruptedException {
        if (hook == CONNECT) {
            connector.set(hook, error);
        }
        Pool<Conn> pool = pool(1);
        if (hook != CONNECT) {
            await().until(() -> pool.stats().unclaimed() == 1);
            connector.set(hook, error);
        }
        for (int round = 0; round < 3; round++) {
            useAndBreakOneConnection(pool);
        }
        // A slot left stuck by the error makes no more connections, so the hook is not called again.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(connector.calls(hook))
                .as("%s calls, the pool going on after one threw %s", hook, error).isGreaterThanOrEqualTo(2));

        connector.release(hook);
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.state() == PoolState.RUNNING);
        try (Handle<Conn> handle = pool.claim(Duration.ofSeconds(5))) {
            assertThat(handle.get().closed()).isFalse();
        }
        pool.close();
        assertThat(pool.awaitTermination(Duration.ofSeconds(5))).as("stopped after %s from %s", error, hook).isTrue();
        assertThat(connector.open()).isZero();
        assertThat(connector.violations()).isEmpty();
    }

    /** Claims once, gives the connection back, claims again and invalidates it; a claim may fail. */
    private void useAndBreakOneConnection(Pool<Conn> pool) {
        for (boolean invalidate : new boolean[] {false, true}) {
            try {
                Handle<Conn> handle = pool.claim(Duration.ofMillis(300));
                connector.lend(handle);
                connector.giveBack(handle, invalidate);
            } catch (ClaimException e) {
                // onAcquire or connect is throwing: the claim fails, as it should
            }
        }
    }

    /** An Error from Connector.close while the pool closes neither escapes close() nor keeps the pool from stopping. */
    @Test
    void anErrorFromCloseWhileThePoolClosesStillStopsIt() throws InterruptedException {
        Pool<Conn> pool = pool(2);
        await().until(() -> pool.stats().unclaimed() == 2);
        connector.set(CLOSE, ASSERTION_ERROR);

        assertThatCode(pool::close).doesNotThrowAnyException();
        assertThat(pool.awaitTermination(Duration.ofSeconds(5))).isTrue();
        assertThat(connector.open()).isZero();
    }
}
