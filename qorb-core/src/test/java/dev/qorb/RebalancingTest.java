package dev.qorb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qorb.connector.TcpConnector;
import dev.qorb.testing.EchoServer;
import dev.qorb.testing.MutableResolver;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rebalancing seen from outside: slot counts per backend against real loopback servers. */
class RebalancingTest {

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final MutableResolver resolver = new MutableResolver();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable closeable : cleanup) {
            closeable.close();
        }
    }

    private EchoServer server() throws IOException {
        return server(0, 1);
    }

    /** A server the resolver reports with this SRV priority and weight. */
    private EchoServer server(int priority, int weight) throws IOException {
        EchoServer server = EchoServer.start();
        cleanup.add(server);
        resolver.add(new Backend(server.backend().address(), priority, weight));
        return server;
    }

    private Pool<Socket> pool(Policy.Builder policy) {
        return poolRebalancedBy(policy.rebalanceInterval(Duration.ofMillis(100)));
    }

    /** A pool whose periodic rebalance is {@code policy}'s own. */
    private Pool<Socket> poolRebalancedBy(Policy.Builder policy) {
        Pool<Socket> pool = Pool.builder("rebalance", new TcpConnector(Duration.ofSeconds(2)))
                .resolver(resolver)
                .policy(policy.backend(b -> b.maxBackoff(Duration.ofMillis(200))).build())
                .build();
        cleanup.add(0, pool);
        return pool;
    }

    private static BackendStats stats(Pool<?> pool, EchoServer server) {
        return pool.stats().backends().get(server.backend().toString());
    }

    @Test
    void sparesSpreadEvenlyOverOnlineBackends() throws Exception {
        List<EchoServer> servers = List.of(server(), server(), server());
        Pool<Socket> pool = pool(Policy.builder().sparesWanted(6));
        await().untilAsserted(() -> assertThat(servers).allSatisfy(s -> {
            assertThat(s.openConnections()).isEqualTo(2);
            assertThat(stats(pool, s).unclaimed()).isEqualTo(2);
        }));
    }

    @Test
    void anOfflineBackendIsHeldAtOneProbingSlotAndTheOthersShareTheSpares() throws Exception {
        EchoServer up1 = server();
        EchoServer up2 = server();
        EchoServer down = server();
        down.stop();
        Pool<Socket> pool = pool(Policy.builder().sparesWanted(7).maxSlots(7));

        await().untilAsserted(() -> {
            BackendStats probe = stats(pool, down);
            assertThat(probe.online()).isFalse();
            assertThat(probe.slots()).isEqualTo(1);
            assertThat(probe.recentFailures()).isPositive();
            assertThat(up1.openConnections() + up2.openConnections()).isEqualTo(6);
            assertThat(up1.openConnections()).isBetween(3, 3 + 1);
        });

        down.restart();
        await().untilAsserted(() -> assertThat(stats(pool, down).unclaimed()).isGreaterThanOrEqualTo(2));
        assertThat(pool.stats().slots()).isLessThanOrEqualTo(7);
    }

    @Test
    void aRestartedBackendGetsItsShareOfClaimsBackAsSoonAsItIsOnline() throws Exception {
        EchoServer steady = server();
        EchoServer restarted = server();
        Pool<Socket> pool = pool(Policy.builder().sparesWanted(4).maxSlots(4)
                .backend(b -> b.healthInterval(Duration.ofMillis(100))));
        await().until(() -> stats(pool, restarted).unclaimed() == 2);
        restarted.stop();
        await().until(() -> !stats(pool, restarted).online() && stats(pool, restarted).recentFailures() > 0);
        restarted.restart();
        await().until(() -> stats(pool, restarted).unclaimed() == 2 && stats(pool, steady).unclaimed() == 2);

        long before = stats(pool, restarted).claims();
        for (int i = 0; i < 1_000; i++) {
            try (Handle<Socket> h = pool.claim(Duration.ofSeconds(5))) {
                h.get();
            }
        }
        // Its failures before the restart no longer hold it back: about half, not a trickle.
        assertThat(stats(pool, restarted).claims() - before).isGreaterThan(250);
        assertThat(stats(pool, restarted).recentFailures()).isZero();
    }

    @Test
    void claimsThatRiseAndFallMakeNoConnects() throws Exception {
        List<EchoServer> servers = List.of(server(), server());
        Pool<Socket> pool = pool(Policy.builder().sparesWanted(2).maxSlots(10));
        List<Handle<Socket>> held = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            held.add(pool.claim(Duration.ofSeconds(5)));
        }
        // 6 claimed + 2 spares: the pool grows to 8 slots, and shrinking is lazy, so they stay.
        await().until(() -> pool.stats().unclaimed() == 2 && pool.stats().slots() == 8);
        held.forEach(Handle::close);
        int accepted = servers.stream().mapToInt(EchoServer::acceptedConnections).sum();
        for (int round = 0; round < 20; round++) {
            burst(pool, round % 2 == 0 ? 6 : 1);
        }
        await().until(() -> pool.stats().unclaimed() == 8);
        assertThat(servers.stream().mapToInt(EchoServer::acceptedConnections).sum()).isEqualTo(accepted);
    }

    @Test
    void everyClaimThatLeavesThePoolShortOfSparesRestoresThemWhereverTheyWere() throws Exception {
        // Claims start at the weighted backend and reach the weight-0 one only when it is full,
        // so the spares end up on the backend the claims do not empty first.
        EchoServer weighted = server(0, 10);
        EchoServer spare = server(0, 0);
        // No periodic rebalance within the test: only the claims' own requests can add slots.
        Pool<Socket> pool = poolRebalancedBy(Policy.builder().sparesWanted(2).maxSlots(10)
                .rebalanceInterval(Duration.ofMinutes(10)).backend(b -> b.maxSlots(3)));
        await().until(() -> pool.stats().unclaimed() == 2);
        List<Handle<Socket>> held = new ArrayList<>();
        for (int claimed = 1; claimed <= 4; claimed++) {
            held.add(pool.claim(Duration.ofSeconds(5)));
            int wanted = Math.min(claimed + 2, 6);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(pool.stats().slots()).isEqualTo(wanted);
                assertThat(weighted.openConnections() + spare.openConnections()).isEqualTo(wanted);
            });
        }
        held.forEach(Handle::close);
    }

    /**
     * Below max slots but with every backend at its own maximum, a claim that uses up the
     * spares cannot make the pool grow: it must not ask for a rebalance each time (a busy
     * pool would keep the rebalance running back to back).
     */
    @Test
    void claimsThatCannotMakeThePoolGrowDoNotAskForRebalances(@TempDir Path dir) throws Exception {
        server();
        server();
        Pool<Socket> pool = poolRebalancedBy(Policy.builder().sparesWanted(2).maxSlots(10)
                .rebalanceInterval(Duration.ofMinutes(10)).backend(b -> b.maxSlots(2)));
        List<Handle<Socket>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(pool.claim(Duration.ofSeconds(5)));
        }
        // 3 claimed + 2 spares wanted, but the two backends hold 2 each: 4 slots, 1 spare.
        await().until(() -> pool.stats().slots() == 4 && pool.stats().unclaimed() == 1);
        Path file = dir.resolve("rebalances.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.qorb.Rebalance").withoutThreshold();
            recording.start();
            for (int i = 0; i < 2_000; i++) {
                pool.claim(Duration.ofSeconds(5)).close();
            }
            recording.stop();
            recording.dump(file);
        }
        assertThat(RecordingFile.readAllEvents(file)).hasSizeLessThan(5);
        assertThat(pool.stats().slots()).isEqualTo(4);
        held.forEach(Handle::close);
    }

    /**
     * A preferred backend that has never connected counts as online for the plan, so it is
     * given its whole share. When its first connect fails, the plan must move to the next
     * priority at once: claims cannot ask for it, since every backend is at its capacity.
     */
    @Test
    void claimsFailOverToTheNextPriorityWhenThePreferredBackendNeverConnects() throws Exception {
        EchoServer preferred = server(0, 1);
        EchoServer fallback = server(1, 1);
        preferred.stop();
        // No periodic rebalance within the test: only the failed connect can move the plan.
        Pool<Socket> pool = poolRebalancedBy(Policy.builder().sparesWanted(4).maxSlots(16)
                .rebalanceInterval(Duration.ofMinutes(10)).backend(b -> b.maxSlots(4)));
        try (Handle<Socket> handle = pool.claim(Duration.ofSeconds(10))) {
            assertThat(handle.backend().address()).isEqualTo(fallback.backend().address());
        }
    }

    private static void burst(Pool<Socket> pool, int claims) {
        List<Handle<Socket>> held = new ArrayList<>();
        for (int i = 0; i < claims; i++) {
            held.add(pool.claim(Duration.ofSeconds(5)));
        }
        held.forEach(Handle::close);
    }

    @Test
    void maxSlotsAndThePerBackendMaxAreRespectedUnderLoad() throws Exception {
        List<EchoServer> servers = List.of(server(), server(), server());
        Pool<Socket> pool = pool(Policy.builder().sparesWanted(2).maxSlots(5).backend(b -> b.maxSlots(2)));
        List<Handle<Socket>> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(pool.claim(Duration.ofSeconds(10)));
            PoolStats stats = pool.stats();
            assertThat(stats.slots()).isLessThanOrEqualTo(5);
            assertThat(stats.backends().values()).allSatisfy(b -> assertThat(b.slots()).isLessThanOrEqualTo(2));
        }
        await().until(() -> servers.stream().mapToInt(EchoServer::openConnections).sum() == 5);
        assertThat(servers).allSatisfy(s -> assertThat(s.openConnections()).isLessThanOrEqualTo(2));
        held.forEach(Handle::close);
    }

    @Test
    void shrinkingWaitsForTheIdleTimeoutAndNeverTakesAClaimedSlot() throws Exception {
        EchoServer first = server();
        Pool<Socket> pool = pool(Policy.builder().sparesWanted(2).maxSlots(6)
                .backend(b -> b.idleTimeout(Duration.ofMillis(300))));
        List<Handle<Socket>> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(pool.claim(Duration.ofSeconds(10)));
        }
        await().until(() -> first.openConnections() == 6);

        // A second backend takes half of the wanted slots: the first must shrink, but only its idle ones.
        EchoServer second = server();
        await().untilAsserted(() -> {
            assertThat(stats(pool, first).claimed()).isEqualTo(4);
            assertThat(stats(pool, first).unclaimed()).isZero();
            assertThat(second.openConnections()).isEqualTo(2);
        });
        for (Handle<Socket> handle : held) {
            handle.get().getOutputStream().write(1);
            assertThat(handle.get().getInputStream().read()).isEqualTo(1);
        }
        assertThat(first.openConnections()).isEqualTo(4);

        // As claims return and their connections idle out, the first converges to its share.
        held.forEach(Handle::close);
        await().untilAsserted(() -> {
            assertThat(stats(pool, first).slots()).isEqualTo(1);
            assertThat(stats(pool, second).slots()).isEqualTo(1);
        });
    }

    @Test
    void aDrainedBackendLendsNoMoreAndComesBackWhenUndrained() throws Exception {
        EchoServer first = server();
        EchoServer second = server();
        Pool<Socket> pool = pool(Policy.builder().sparesWanted(4));
        await().until(() -> first.openConnections() == 2 && second.openConnections() == 2);
        Handle<Socket> held = null;
        for (int i = 0; held == null && i < 100; i++) {
            Handle<Socket> h = pool.claim();
            if (h.backend().equals(first.backend())) {
                held = h;
            } else {
                h.close();
            }
        }
        assertThat(held).isNotNull();

        assertThat(pool.drain(first.backend().toString())).isTrue();
        assertThat(pool.drain("nope:1")).isFalse();
        await().until(() -> first.openConnections() == 1);
        for (int i = 0; i < 10; i++) {
            try (Handle<Socket> h = pool.claim()) {
                assertThat(h.backend()).isEqualTo(second.backend());
            }
        }
        assertThat(stats(pool, first).draining()).isTrue();
        held.close();
        await().until(() -> first.openConnections() == 0);

        pool.undrain(first.backend().toString());
        await().until(() -> first.openConnections() == 2);
    }
}
