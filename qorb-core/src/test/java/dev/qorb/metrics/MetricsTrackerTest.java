package dev.qorb.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.qorb.Backend;
import dev.qorb.ClaimException;
import dev.qorb.Handle;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.testing.MutableResolver;
import dev.qorb.testing.ScriptedConnector;
import dev.qorb.testing.ScriptedConnector.Behaviour;
import dev.qorb.testing.ScriptedConnector.Conn;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What a pool reports to its metrics tracker, and that a broken tracker cannot break the pool. */
class MetricsTrackerTest {

    private static final Backend BACKEND = Backend.of("127.0.0.1", 7001);

    /** Every call, in order, as text; the numbers it was given in {@link #numbers}. */
    static final class Recording implements MetricsTracker {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Long> holds = new CopyOnWriteArrayList<>();
        final List<Long> waits = new CopyOnWriteArrayList<>();

        @Override
        public void claimed(long waitNanos) {
            calls.add("claimed");
            waits.add(waitNanos);
        }

        @Override
        public void claimFailed(ClaimException.Kind kind, long waitNanos) {
            calls.add("claimFailed " + kind);
            waits.add(waitNanos);
        }

        @Override
        public void released(long heldNanos) {
            calls.add("released");
            holds.add(heldNanos);
        }

        @Override
        public void connected(Backend backend, long nanos) {
            calls.add("connected " + backend);
        }

        @Override
        public void connectFailed(Backend backend, long nanos) {
            calls.add("connectFailed " + backend);
        }

        @Override
        public void checkFailed(Backend backend) {
            calls.add("checkFailed " + backend);
        }

        @Override
        public void closed() {
            calls.add("closed");
        }

        long count(String call) {
            return calls.stream().filter(call::equals).count();
        }
    }

    private static Pool<Conn> pool(ScriptedConnector connector, Policy policy, MetricsTracker tracker,
            AtomicReference<Pool<?>> given) {
        return Pool.builder("tracked", connector).resolver(new MutableResolver().add(BACKEND)).policy(policy)
                .metricsTracker(pool -> {
                    given.set(pool);
                    return tracker;
                }).build();
    }

    @Test
    void theTrackerHearsClaimsReleasesConnectsAndCloseOfItsPool() throws Exception {
        Recording tracker = new Recording();
        AtomicReference<Pool<?>> given = new AtomicReference<>();
        Pool<Conn> pool = pool(new ScriptedConnector(), Policy.builder().maxSlots(1).sparesWanted(1).build(),
                tracker, given);
        assertThat(given.get().name()).isEqualTo("tracked");
        await().until(() -> tracker.calls.contains("connected " + BACKEND));

        Handle<Conn> held = pool.claim();
        assertThat(tracker.waits).containsExactly(0L); // idle: the fast path reads no clock
        CompletableFuture<Handle<Conn>> waiting = pool.claimAsync();
        assertThatThrownBy(() -> pool.claim(Duration.ZERO)).isInstanceOf(ClaimException.class);
        assertThat(tracker.calls).contains("claimFailed ALL_CLAIMS_USED");
        held.close();
        waiting.get().close();
        assertThat(tracker.count("claimed")).isEqualTo(2);
        assertThat(tracker.waits.get(2)).as("the async claim waited").isPositive();
        assertThat(tracker.count("released")).isEqualTo(2);

        pool.close();
        assertThat(tracker.calls).endsWith("closed");
    }

    @Test
    void failedConnectsAndChecksAreReportedWithTheirBackend() {
        Recording tracker = new Recording();
        ScriptedConnector connector = new ScriptedConnector();
        connector.isValid = Behaviour.FAIL;
        try (Pool<Conn> pool = pool(connector, Policy.builder().maxSlots(1).sparesWanted(1)
                .backend(b -> b.healthInterval(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(50))).build(),
                tracker, new AtomicReference<>())) {
            await().until(() -> tracker.calls.contains("checkFailed " + BACKEND));
            connector.connect = Behaviour.FAIL;
            await().until(() -> tracker.calls.contains("connectFailed " + BACKEND));
        }
    }

    @Test
    void everyHoldIsTimedWhileLeakDetectionIsOnAndASampleOtherwise() {
        Recording timedAll = new Recording();
        try (Pool<Conn> pool = pool(new ScriptedConnector(), Policy.builder()
                .leakDetectionThreshold(Duration.ofMinutes(1)).build(), timedAll, new AtomicReference<>())) {
            for (int i = 0; i < 50; i++) {
                pool.claim().close();
            }
        }
        assertThat(timedAll.holds).hasSize(50).allSatisfy(held -> assertThat(held).isNotNegative());

        Recording sampled = new Recording();
        try (Pool<Conn> pool = pool(new ScriptedConnector(), Policy.defaults(), sampled, new AtomicReference<>())) {
            for (int i = 0; i < 4000; i++) {
                pool.claim().close();
            }
        }
        long timed = sampled.holds.stream().filter(held -> held != MetricsTracker.NOT_TIMED).count();
        // One in 32 expected (125); the bounds are more than 6 standard deviations away.
        assertThat(timed).isBetween(50L, 200L);
    }

    @Test
    void aTrackerThatThrowsIsLoggedOnceAndTheClaimsGoOn() {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.qorb.pool.GuardedTracker");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        MetricsTracker broken = new MetricsTracker() {
            @Override
            public void claimed(long waitNanos) {
                throw new IllegalStateException("broken tracker");
            }

            @Override
            public void released(long heldNanos) {
                throw new IllegalStateException("broken tracker");
            }
        };
        try (Pool<Conn> pool = pool(new ScriptedConnector(), Policy.defaults(), broken, new AtomicReference<>())) {
            for (int i = 0; i < 3; i++) {
                try (Handle<Conn> handle = pool.claim()) {
                    assertThat(handle.get()).isNotNull();
                }
            }
            assertThat(pool.stats().claims()).isEqualTo(3);
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement().satisfies(e -> {
            assertThat(e.getFormattedMessage()).startsWith("pool 'tracked': the metrics tracker")
                    .contains("threw from claimed");
            assertThat(e.getThrowableProxy().getMessage()).isEqualTo("broken tracker");
        });
    }
}
