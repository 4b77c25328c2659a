package dev.qorb.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qorb.Backend;
import dev.qorb.BackendStats;
import dev.qorb.ClaimException;
import dev.qorb.Handle;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.PoolState;
import dev.qorb.PoolStats;
import dev.qorb.connector.TcpConnector;
import dev.qorb.resolver.FixedResolver;
import dev.qorb.spring.actuate.QorbPoolHealthIndicator.Grade;
import dev.qorb.testing.EchoServer;
import dev.qorb.testing.MutableResolver;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** A pool's health says whether it can serve a claim now, and agrees with the pool's state. */
class HealthGradingTest {

    private static final Duration NO_GRACE = Duration.ZERO;

    private static BackendStats backend(int port, boolean online, boolean draining) {
        return backend(port, online, draining, false);
    }

    /** A backend the pool ejected: its connections are closed, it lends none. */
    private static BackendStats ejected(int port) {
        return backend(port, false, false, true);
    }

    private static BackendStats backend(int port, boolean online, boolean draining, boolean ejected) {
        Backend backend = Backend.of("127.0.0.1", port);
        return new BackendStats(backend.toString(), backend, online, draining, ejected, online ? 0 : 1,
                online ? 1 : 0, 0, 0, 0, 0, 0, 0, Optional.empty());
    }

    private static PoolStats stats(PoolState state, BackendStats... backends) {
        Map<String, BackendStats> byName = new LinkedHashMap<>();
        for (BackendStats backend : backends) {
            byName.put(backend.name(), backend);
        }
        return new PoolStats("orders", state, byName, 0, new EnumMap<>(ClaimException.Kind.class), 0);
    }

    @Test
    void eachCaseHasItsGrade() {
        record Case(PoolStats stats, boolean inGrace, Status status, String reason) {
        }
        List<Case> cases = List.of(
                new Case(stats(PoolState.RUNNING, backend(1, true, false), backend(2, true, false)), false,
                        Status.UP, "2 backends online"),
                new Case(stats(PoolState.RUNNING, backend(1, true, false), backend(2, false, false)), false,
                        QorbPoolHealthIndicator.DEGRADED, "1 of 2 backends offline"),
                new Case(stats(PoolState.RUNNING, backend(1, true, false), backend(2, false, true)), false,
                        Status.UP, "1 backend online"),
                new Case(stats(PoolState.RUNNING, backend(1, false, false), backend(2, false, false)), false,
                        Status.DOWN, "no backend is online"),
                new Case(stats(PoolState.RUNNING, backend(1, true, true), backend(2, false, true)), false,
                        Status.DOWN, "every backend is drained"),
                new Case(stats(PoolState.RUNNING), false, Status.DOWN, "the resolver reports no backend"),
                new Case(stats(PoolState.FAILED, backend(1, false, false)), true, Status.DOWN,
                        "the pool has failed: every backend is failing to connect"),
                new Case(stats(PoolState.STARTING), true, Status.OUT_OF_SERVICE,
                        "starting: the resolver has reported no backend yet"),
                new Case(stats(PoolState.STARTING), false, Status.DOWN, "the resolver reports no backend"),
                new Case(stats(PoolState.STARTING, backend(1, false, false)), true, Status.OUT_OF_SERVICE,
                        "starting: no backend is online yet"),
                new Case(stats(PoolState.STARTING, backend(1, false, false)), false, Status.DOWN,
                        "no backend is online"),
                new Case(stats(PoolState.RUNNING, backend(1, false, false)), true, Status.DOWN, "no backend is online"),
                new Case(stats(PoolState.STOPPING, backend(1, true, false)), false, Status.OUT_OF_SERVICE,
                        "the pool is closed"),
                new Case(stats(PoolState.RUNNING, backend(1, true, false), ejected(2)), false,
                        QorbPoolHealthIndicator.DEGRADED, "1 of 2 backends ejected"),
                new Case(stats(PoolState.RUNNING, backend(1, true, false), ejected(2), backend(3, false, false)),
                        false, QorbPoolHealthIndicator.DEGRADED, "2 of 3 backends offline or ejected"),
                new Case(stats(PoolState.RUNNING, backend(1, true, false, true), backend(2, true, false)), false,
                        QorbPoolHealthIndicator.DEGRADED, "1 of 2 backends ejected"),
                new Case(stats(PoolState.RUNNING, ejected(1), backend(2, false, false)), false, Status.DOWN,
                        "no backend can lend: 1 ejected, 1 offline"),
                new Case(stats(PoolState.RUNNING, backend(1, true, false), ejected(2), backend(3, true, true)),
                        false, QorbPoolHealthIndicator.DEGRADED, "1 of 2 backends ejected"));
        for (Case c : cases) {
            assertThat(QorbPoolHealthIndicator.grade(c.stats(), c.inGrace())).as("%s", c)
                    .isEqualTo(new Grade(c.status(), c.reason()));
        }
    }

    @Test
    void aRealPoolGoesDegradedThenDownAsItsBackendsStopAndDownWhenAllAreDrained() throws Exception {
        try (EchoServer first = EchoServer.start(); EchoServer second = EchoServer.start();
                Pool<Socket> pool = Pool.builder("orders", new TcpConnector(Duration.ofSeconds(1)))
                        .resolver(new FixedResolver(List.of(first.backend(), second.backend())))
                        .policy(Policy.builder().sparesWanted(2).backend(b -> b.maxBackoff(Duration.ofMillis(200))
                                .healthInterval(Duration.ofMillis(50))).build()).build()) {
            QorbPoolHealthIndicator indicator = new QorbPoolHealthIndicator(pool, NO_GRACE, TextSanitizer.defaults());
            await().untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.UP));
            first.stop();
            await().untilAsserted(() -> assertThat(indicator.health().getStatus())
                    .isEqualTo(QorbPoolHealthIndicator.DEGRADED));
            second.stop();
            await().untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN));
            first.restart();
            second.restart();
            await().untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.UP));
            pool.drain(first.backend().toString());
            pool.drain(second.backend().toString());
            Health drained = indicator.health();
            assertThat(drained.getStatus()).isEqualTo(Status.DOWN);
            assertThat(drained.getDetails()).containsEntry("reason", "every backend is drained");
        }
    }

    @Test
    void aRealPoolWithAnEjectedBackendIsDegradedAndShowsItEjected() throws Exception {
        try (EchoServer first = EchoServer.start(); EchoServer second = EchoServer.start();
                Pool<Socket> pool = Pool.builder("orders", new TcpConnector(Duration.ofSeconds(1)))
                        .resolver(new FixedResolver(List.of(first.backend(), second.backend())))
                        // No check between the two failures: a passing isValid would end the failures in a row.
                        .policy(Policy.builder().sparesWanted(4).maxSlots(4).backend(b -> b.ejectAfterFailures(2)
                                .maxBackoff(Duration.ofSeconds(5)).noAliveCheck().noHealthChecks()).build())
                        .build()) {
            QorbPoolHealthIndicator indicator = new QorbPoolHealthIndicator(pool, NO_GRACE, TextSanitizer.defaults());
            await().untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.UP));
            // The application finds two connections of the first backend broken in a row.
            int invalidated = 0;
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            for (int i = 0; i < 10_000 && invalidated < 2 && System.nanoTime() < end; i++) {
                Handle<Socket> h = pool.claim(Duration.ofSeconds(2));
                if (h.backend().equals(first.backend())) {
                    h.invalidate(new IOException("broken pipe"));
                    invalidated++;
                } else {
                    h.close();
                }
            }
            assertThat(invalidated).isEqualTo(2);
            // One snapshot: the ejection lasts about a second, the status and the state must agree within it.
            await().untilAsserted(() -> {
                Health health = indicator.health();
                assertThat(health.getStatus()).isEqualTo(QorbPoolHealthIndicator.DEGRADED);
                assertThat(health.getDetails()).containsEntry("reason", "1 of 2 backends ejected");
                assertThat(health.getDetails().get("backends")).asInstanceOf(InstanceOfAssertFactories.MAP)
                        .extractingByKey(first.backend().toString()).asInstanceOf(InstanceOfAssertFactories.MAP)
                        .containsEntry("state", "ejected");
            });
            // Readmitted after a new connect: up again.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP));
        }
    }

    @Test
    void aPoolWhoseResolverFindsNothingIsOutOfServiceDuringTheGraceAndDownAfter() {
        try (Pool<Socket> pool = Pool.builder("orders", new TcpConnector()).resolver(new MutableResolver())
                .build()) {
            assertThat(new QorbPoolHealthIndicator(pool, Duration.ofHours(1), TextSanitizer.defaults()).health()
                    .getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            Health down = new QorbPoolHealthIndicator(pool, NO_GRACE, TextSanitizer.defaults()).health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsEntry("reason", "the resolver reports no backend")
                    .containsEntry("state", PoolState.STARTING);
        }
    }
}
