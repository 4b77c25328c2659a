package dev.qorb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import dev.qorb.connector.TcpConnector;
import dev.qorb.testing.EchoServer;
import dev.qorb.testing.MutableResolver;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How many connections the pool opens, and where, counted at real loopback servers: max
 * slots is a hard cap, a new backend gets its first slot before any backend a second, and
 * spares above the cap mean the cap. Issue 9, items 11 to 13.
 */
class SizingTest {

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final List<Handle<Socket>> held = new ArrayList<>();
    private final MutableResolver resolver = new MutableResolver();

    @AfterEach
    void tearDown() throws Exception {
        held.forEach(Handle::close);
        for (AutoCloseable closeable : cleanup) {
            closeable.close();
        }
    }

    private EchoServer server() throws IOException {
        EchoServer server = EchoServer.start();
        cleanup.add(server);
        return server;
    }

    private Pool<Socket> pool(Policy policy) {
        Pool<Socket> pool = Pool.builder("sizing", new TcpConnector(Duration.ofSeconds(2))).resolver(resolver)
                .policy(policy).build();
        cleanup.add(0, pool);
        return pool;
    }

    private void claim(Pool<Socket> pool, int count) {
        for (int i = 0; i < count; i++) {
            held.add(pool.claim(Duration.ofSeconds(5)));
        }
    }

    private static int open(List<EchoServer> servers) {
        return servers.stream().mapToInt(EchoServer::openConnections).sum();
    }

    /**
     * Item 11: connections claimed on a backend the resolver removed still count against max
     * slots until they return; the new backend gets none meanwhile (it got 8, for 24 open).
     */
    @Test
    void maxSlotsCountsClaimedConnectionsOfARemovedBackend() throws Exception {
        EchoServer old = server();
        EchoServer replacement = server();
        resolver.add(old.backend());
        Pool<Socket> pool = pool(Policy.builder().maxSlots(16).build());
        claim(pool, 16);
        assertThat(held).allSatisfy(h -> assertThat(h.backend()).isEqualTo(old.backend()));

        resolver.publish(replacement.backend());
        await().until(() -> pool.stats().backends().containsKey(replacement.backend().toString()));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(open(List.of(old, replacement))).as("connections open with max slots 16; %s", pool.stats())
                        .isLessThanOrEqualTo(16));

        held.forEach(Handle::close);
        held.clear();
        try (Handle<Socket> handle = pool.claim(Duration.ofSeconds(5))) {
            assertThat(handle.backend()).isEqualTo(replacement.backend());
        }
        await().until(() -> old.openConnections() == 0);
    }

    /**
     * Item 12: with 4 of 6 slots claimed on aaa, a new report of aaa, bbb and ccc leaves room
     * for two slots: bbb and ccc get one each (bbb used to get both, and ccc stayed offline
     * until claims returned).
     */
    @Test
    void everyNewBackendGetsItsFirstSlotBeforeAnyGetsASecond() throws Exception {
        EchoServer aaa = server();
        EchoServer bbb = server();
        EchoServer ccc = server();
        resolver.add(aaa.backend());
        Pool<Socket> pool = pool(Policy.builder().maxSlots(6).sparesWanted(6).build());
        claim(pool, 4);
        await().until(() -> aaa.openConnections() == 6);

        resolver.publish(aaa.backend(), bbb.backend(), ccc.backend());

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            PoolStats stats = pool.stats();
            assertThat(stats.backends().get(bbb.backend().toString()).online()).as("bbb online; %s", stats).isTrue();
            assertThat(stats.backends().get(ccc.backend().toString()).online()).as("ccc online; %s", stats).isTrue();
            assertThat(List.of(aaa.openConnections(), bbb.openConnections(), ccc.openConnections()))
                    .as("open at aaa, bbb, ccc").containsExactly(4, 1, 1);
        });
    }

    /**
     * Item 13: spares wanted above max slots is accepted and means max slots: qorb's default
     * of 8 spares with a cap of 4 opens 4 connections, never more.
     */
    @Test
    void sparesWantedAboveMaxSlotsMeansMaxSlots() throws Exception {
        assertThatCode(() -> Policy.builder().maxSlots(4).build()).doesNotThrowAnyException();
        EchoServer server = server();
        resolver.add(server.backend());
        Pool<Socket> pool = pool(Policy.builder().maxSlots(4).build());

        await().until(() -> server.openConnections() == 4 && pool.stats().unclaimed() == 4);
        claim(pool, 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() ->
                server.openConnections() == 4 && pool.stats().slots() == 4);
    }
}
