package dev.qorb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.qorb.testing.FaultyConnector;
import dev.qorb.testing.FaultyConnector.Conn;
import dev.qorb.testing.FaultyConnector.Fault;
import dev.qorb.testing.FaultyConnector.Hook;
import dev.qorb.testing.MutableResolver;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Outlier ejection, connection lifetimes, resizing at run time, and failing fast (issue 10). */
class BackendHealthTest {

    private final Backend good = Backend.of("127.0.0.1", 7001);
    private final Backend silent = Backend.of("127.0.0.1", 7002);
    private final FaultyConnector connector = new FaultyConnector();

    @Test
    void aBackendWhoseConnectionsKeepFailingIsEjectedAndReadmittedAfterANewConnect() {
        MutableResolver resolver = new MutableResolver().add(good).add(silent);
        Policy policy = Policy.builder().sparesWanted(4).maxSlots(4).rebalanceInterval(Duration.ofMillis(50))
                .backend(b -> b.ejectAfterFailures(3).maxBackoff(Duration.ofSeconds(1))).build();
        try (Pool<Conn> pool = Pool.builder("eject", connector).resolver(resolver).policy(policy).build()) {
            await().until(() -> pool.stats().unclaimed() == 4);
            // The application's requests on 'silent' time out: it says so three times in a row.
            int invalidated = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int i = 0; i < 1_000_000 && invalidated < 3 && System.nanoTime() < end; i++) {
                Handle<Conn> h = pool.claim(Duration.ofSeconds(2));
                if (h.backend().equals(silent)) {
                    h.invalidate(new SocketTimeoutException("no answer within 1 s"));
                    invalidated++;
                } else {
                    h.close();
                }
            }
            assertThat(invalidated).isEqualTo(3);
            await().until(() -> pool.stats().backends().get(silent.toString()).ejected());
            BackendStats ejected = pool.stats().backends().get(silent.toString());
            assertThat(ejected.lastError()).hasValue("SocketTimeoutException: no answer within 1 s");
            // While ejected, every claim goes to the good backend.
            for (int i = 0; i < 50; i++) {
                try (Handle<Conn> h = pool.claim(Duration.ofSeconds(2))) {
                    assertThat(h.backend()).isEqualTo(good);
                }
            }
            int connectsBefore = connector.calls(Hook.CONNECT);
            // After 1 s it is readmitted, and lends again only over a new connection.
            await().atMost(Duration.ofSeconds(5)).until(() -> !pool.stats().backends().get(silent.toString()).ejected()
                    && pool.stats().backends().get(silent.toString()).unclaimed() > 0);
            assertThat(connector.calls(Hook.CONNECT)).isGreaterThan(connectsBefore);
        }
    }

    @Test
    void passingHealthChecksBetweenTheApplicationsFailuresDoNotSaveAHungBackendFromEjection() {
        MutableResolver resolver = new MutableResolver().add(good).add(silent);
        Policy policy = Policy.builder().sparesWanted(4).maxSlots(4).rebalanceInterval(Duration.ofMillis(50))
                .backend(b -> b.ejectAfterFailures(3).maxBackoff(Duration.ofSeconds(5))
                        .healthInterval(Duration.ofMillis(10))).build();
        try (Pool<Conn> pool = Pool.builder("checks", connector).resolver(resolver).policy(policy).build()) {
            await().until(() -> pool.stats().unclaimed() == 4);
            int invalidated = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int i = 0; i < 1_000_000 && invalidated < 3 && System.nanoTime() < end; i++) {
                Handle<Conn> h = pool.claim(Duration.ofSeconds(2));
                if (!h.backend().equals(silent)) {
                    h.close();
                    continue;
                }
                h.invalidate(new SocketTimeoutException("no answer"));
                invalidated++;
                // Health checks of the backend's idle connections pass in between, as a socket check does on a hung peer.
                int checks = connector.calls(Hook.IS_VALID);
                await().until(() -> connector.calls(Hook.IS_VALID) > checks + 2);
            }
            assertThat(invalidated).isEqualTo(3);
            await().until(() -> pool.stats().backends().get(silent.toString()).ejected());
        }
    }

    @Test
    void theLastOnlineBackendIsNeverEjected() {
        MutableResolver resolver = new MutableResolver().add(good);
        Policy policy = Policy.builder().sparesWanted(2).maxSlots(2)
                .backend(b -> b.ejectAfterFailures(2)).build();
        try (Pool<Conn> pool = Pool.builder("last", connector).resolver(resolver).policy(policy).build()) {
            for (int i = 0; i < 10; i++) {
                pool.claim(Duration.ofSeconds(2)).invalidate(new IOException("broken pipe"));
            }
            try (Handle<Conn> h = pool.claim(Duration.ofSeconds(2))) {
                assertThat(h.backend()).isEqualTo(good);
            }
            assertThat(pool.stats().backends().get(good.toString()).ejected()).isFalse();
        }
    }

    @Test
    void connectionsAreReplacedAtTheEndOfTheirLifetimeButNeverWhileClaimed() throws Exception {
        MutableResolver resolver = new MutableResolver().add(good);
        Policy policy = Policy.builder().sparesWanted(4).maxSlots(4)
                .backend(b -> b.maxLifetime(Duration.ofMillis(200))).build();
        ExecutorService load = Executors.newFixedThreadPool(4);
        try (Pool<Conn> pool = Pool.builder("lifetime", connector).resolver(resolver).policy(policy).build()) {
            await().until(() -> pool.stats().unclaimed() == 4);
            AtomicInteger failures = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            for (int t = 0; t < 4; t++) {
                workers.add(load.submit(() -> {
                    while (System.nanoTime() < end) {
                        try (Handle<Conn> h = pool.claim(Duration.ofSeconds(2))) {
                            if (h.get().closed()) {
                                failures.incrementAndGet();
                            }
                            Thread.onSpinWait();
                            if (h.get().closed()) {
                                failures.incrementAndGet(); // closed while claimed
                            }
                        } catch (ClaimException e) {
                            failures.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(10, TimeUnit.SECONDS);
            }
            assertThat(failures).hasValue(0);
            // 1.5 s of 200 ms lifetimes: each of the 4 slots was replaced several times.
            assertThat(connector.made()).isGreaterThan(4 + 8);
            assertThat(connector.violations()).isEmpty();
            assertThat(pool.stats().backendsOnline()).isEqualTo(1);
        } finally {
            load.shutdownNow();
        }
    }

    @Test
    void undrainedBackendsGetTheirSlotsBackWhileClaimsKeepTheOthersBusy() throws Exception {
        Backend third = Backend.of("127.0.0.1", 7003);
        MutableResolver resolver = new MutableResolver().add(good).add(silent).add(third);
        Policy policy = Policy.builder().sparesWanted(6).maxSlots(6).rebalanceInterval(Duration.ofMillis(100)).build();
        ExecutorService load = Executors.newFixedThreadPool(2);
        try (Pool<Conn> pool = Pool.builder("undrain", connector).resolver(resolver).policy(policy).build()) {
            await().until(() -> pool.stats().unclaimed() == 6);
            AtomicInteger running = new AtomicInteger(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                workers.add(load.submit(() -> {
                    for (int n = 0; running.get() == 1 && n < 10_000_000; n++) {
                        try (Handle<Conn> h = pool.claim(Duration.ofSeconds(2))) {
                            h.get();
                        } catch (ClaimException e) {
                            // while every backend is drained
                        }
                    }
                    return null;
                }));
            }
            pool.drain(silent.toString());
            pool.drain(third.toString());
            await().until(() -> pool.stats().backends().get(third.toString()).slots() == 0
                    && pool.stats().backends().get(silent.toString()).slots() == 0);
            pool.undrain(silent.toString());
            pool.undrain(third.toString());
            // The busy backend's connections are never idle for long, yet the others get theirs back.
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().backends().values().stream()
                    .allMatch(b -> b.online() && b.slots() == 2));
            running.set(0);
            for (Future<?> worker : workers) {
                worker.get(10, TimeUnit.SECONDS);
            }
        } finally {
            load.shutdownNow();
        }
    }

    @Test
    void thePoolCanBeResizedWhileItRuns() {
        MutableResolver resolver = new MutableResolver().add(good).add(silent);
        Policy policy = Policy.builder().sparesWanted(2).maxSlots(4).rebalanceInterval(Duration.ofMillis(50)).build();
        try (Pool<Conn> pool = Pool.builder("resize", connector).resolver(resolver).policy(policy).build()) {
            await().until(() -> pool.stats().unclaimed() == 2);
            pool.resize(p -> p.sparesWanted(8).maxSlots(8));
            await().until(() -> pool.stats().unclaimed() == 8);
            pool.resize(p -> p.maxSlots(3));
            await().until(() -> pool.stats().slots() == 3);
            assertThat(pool.policy().maxSlots()).isEqualTo(3);
            assertThatThrownBy(() -> pool.resize(p -> p.maxSlots(0)))
                    .hasMessage("maxSlots must be at least 1 but was 0");
            assertThatThrownBy(() -> pool.resize(p -> p.claimTimeout(Duration.ofSeconds(1))))
                    .hasMessageContaining("only sparesWanted, maxSlots and backend.maxSlots can change");
        }
    }

    @Test
    void aPoolWhoseBackendsAreBlackHoledFailsAfterOneConnectTimeoutNotThree() {
        connector.set(Hook.CONNECT, Fault.HANG);
        MutableResolver resolver = new MutableResolver().add(good).add(silent);
        Policy policy = Policy.builder().backend(b -> b.connectTimeout(Duration.ofMillis(1100))
                .minBackoff(Duration.ofSeconds(5)).maxBackoff(Duration.ofSeconds(10))).build();
        try (Pool<Conn> pool = Pool.builder("black-hole", connector).resolver(resolver).policy(policy).build()) {
            // One connect per backend timed out after 1.1 s; the next would come 5 s later.
            await().atMost(Duration.ofSeconds(4)).until(() -> pool.state() == PoolState.FAILED);
            long start = System.nanoTime();
            assertThatThrownBy(() -> pool.claim(Duration.ofSeconds(10))).isInstanceOfSatisfying(ClaimException.class,
                    e -> assertThat(e.kind()).isEqualTo(ClaimException.Kind.NO_BACKENDS_ONLINE));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        } finally {
            connector.releaseAll();
        }
    }
}
