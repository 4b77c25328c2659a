package dev.qorb.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.qorb.Backend;
import dev.qorb.ClaimException;
import dev.qorb.Handle;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.connector.TcpConnector;
import dev.qorb.dns.DnsResolver;
import dev.qorb.dns.DnsResolverConfig;
import dev.qorb.testing.EchoServer;
import dev.qorb.testing.MutableResolver;
import dev.qorb.testing.ScriptedConnector;
import dev.qorb.testing.ScriptedConnector.Conn;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The meters of a pool: registered once, counting for real, removed with the pool. */
class PoolMetersTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    private Set<Meter.Id> meters(String pool) {
        return registry.getMeters().stream().map(Meter::getId).filter(id -> pool.equals(id.getTag("pool")))
                .collect(Collectors.toSet());
    }

    @Test
    void claimsAreCountedAndTimedWithoutRegisteringAnyMeterAfterTheFirst() {
        MutableResolver resolver = new MutableResolver().add(Backend.of("127.0.0.1", 7001));
        try (Pool<Conn> pool = Pool.builder("orders", new ScriptedConnector()).resolver(resolver)
                .policy(Policy.builder().maxSlots(1).sparesWanted(1).build())
                .metricsTracker(new QorbMicrometerMetrics(registry, false, 0)).build()) {
            Set<Meter.Id> registered = meters("orders");
            assertThat(registered).extracting(Meter.Id::getName).contains("qorb.slots", "qorb.slots.max",
                    "qorb.claims.pending", "qorb.backends", "qorb.claims", "qorb.claims.wait", "qorb.claims.held");
            for (int i = 0; i < 100; i++) {
                pool.claim().close();
            }
            Handle<Conn> held = pool.claim();
            assertThatThrownBy(() -> pool.claim(Duration.ofMillis(20))).isInstanceOf(ClaimException.class);
            held.close();

            assertThat(registry.get("qorb.claims").tags("pool", "orders", "outcome", "claimed").functionCounter()
                    .count()).isEqualTo(101);
            FunctionTimer served = registry.get("qorb.claims.wait").tags("pool", "orders", "outcome", "claimed")
                    .functionTimer();
            assertThat(served.count()).isEqualTo(101);
            FunctionTimer failed = registry.get("qorb.claims.wait").tags("pool", "orders", "outcome",
                    "all_claims_used").functionTimer();
            assertThat(failed.count()).isEqualTo(1);
            assertThat(failed.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(20);
            assertThat(meters("orders")).as("no meter registered on the claim path").isEqualTo(registered);
        }
    }

    @Test
    void connectFailuresKeepCountingWhenTheFailingBackendLeavesTheResolver() throws Exception {
        EchoServer closed = EchoServer.start();
        closed.stop();
        MutableResolver resolver = new MutableResolver().add(closed.backend());
        try (Pool<Socket> pool = Pool.builder("orders", new TcpConnector(Duration.ofSeconds(1))).resolver(resolver)
                .policy(Policy.builder().backend(b -> b.maxBackoff(Duration.ofMillis(50))).build())
                .metricsTracker(new QorbMicrometerMetrics(registry, false, 0)).build()) {
            await().until(() -> connectFailures("orders") >= 3);
            resolver.remove(closed.backend());
            await().until(() -> pool.stats().backends().isEmpty());
            double afterRemoval = connectFailures("orders");
            assertThat(afterRemoval).as("a counter never goes down").isGreaterThanOrEqualTo(3);
            assertThat(registry.get("qorb.connect").tags("pool", "orders", "outcome", "failure").timer().count())
                    .isEqualTo((long) afterRemoval);
        } finally {
            closed.close();
        }
    }

    private double connectFailures(String pool) {
        return registry.get("qorb.connect.failures").tag("pool", pool).counter().count();
    }

    @Test
    void theMetersOfAPoolAreRemovedWhenItCloses() {
        Pool<Conn> pool = Pool.builder("closing", new ScriptedConnector())
                .resolver(new MutableResolver().add(Backend.of("127.0.0.1", 7001)))
                .metricsTracker(new QorbMicrometerMetrics(registry, false, 0)).build();
        pool.claim().close();
        assertThat(meters("closing")).isNotEmpty();
        pool.close();
        assertThat(meters("closing")).isEmpty();
    }

    @Test
    void backendTagsStopAtTheBoundAndTheRestShareOther() throws Exception {
        List<EchoServer> servers = List.of(EchoServer.start(), EchoServer.start(), EchoServer.start());
        MutableResolver resolver = new MutableResolver();
        for (EchoServer server : servers) {
            resolver.add(server.backend());
        }
        try (Pool<Socket> pool = Pool.builder("tagged", new TcpConnector(Duration.ofSeconds(1))).resolver(resolver)
                .policy(Policy.builder().sparesWanted(3).build())
                .metricsTracker(new QorbMicrometerMetrics(registry, false, 2)).build()) {
            await().until(() -> pool.stats().backendsOnline() == 3);
            Set<String> tags = registry.find("qorb.connect").tag("pool", "tagged").timers().stream()
                    .map(timer -> timer.getId().getTag("backend")).collect(Collectors.toSet());
            assertThat(tags).hasSize(3).contains("other");
        } finally {
            for (EchoServer server : servers) {
                server.close();
            }
        }
    }

    @Test
    void withTheHistogramEveryClaimIsRecordedInATimer() {
        try (Pool<Conn> pool = Pool.builder("histogram", new ScriptedConnector())
                .resolver(new MutableResolver().add(Backend.of("127.0.0.1", 7001)))
                .metricsTracker(new QorbMicrometerMetrics(registry, true, 0)).build()) {
            pool.claim().close();
            Timer waits = registry.get("qorb.claims.wait").tags("pool", "histogram", "outcome", "claimed").timer();
            assertThat(waits.count()).isEqualTo(1);
        }
    }

    @Test
    void holdsAreTimedForEveryClaimWhileLeakDetectionIsOn() {
        try (Pool<Conn> pool = Pool.builder("held", new ScriptedConnector())
                .resolver(new MutableResolver().add(Backend.of("127.0.0.1", 7001)))
                .policy(Policy.builder().leakDetectionThreshold(Duration.ofMinutes(1)).build())
                .metricsTracker(new QorbMicrometerMetrics(registry, false, 0)).build()) {
            for (int i = 0; i < 10; i++) {
                pool.claim().close();
            }
            assertThat(registry.get("qorb.claims.held").tag("pool", "held").timer().count()).isEqualTo(10);
        }
    }

    @Test
    void aDnsPoolCountsItsLookupsByOutcome() {
        DnsResolver dns = new DnsResolver(DnsResolverConfig.srv("_orders._tcp.qorb.test")
                .servers(List.of(new InetSocketAddress("127.0.0.1", 1))).build());
        try (Pool<Conn> pool = Pool.builder("dns", new ScriptedConnector()).resolver(dns)
                .metricsTracker(new QorbMicrometerMetrics(registry, false, 0)).build()) {
            assertThat(pool.resolver()).isSameAs(dns);
            assertThat(registry.find("qorb.dns.lookups").tag("pool", "dns").functionCounters())
                    .extracting(counter -> counter.getId().getTag("outcome"))
                    .containsExactlyInAnyOrder("answered", "empty", "error", "timeout");
        }
    }
}
