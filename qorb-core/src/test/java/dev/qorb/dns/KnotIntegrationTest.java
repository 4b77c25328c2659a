package dev.qorb.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qorb.Handle;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.connector.TcpConnector;
import dev.qorb.testing.EchoServer;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * A pool over real TCP backends found through a real DNS server (Knot), changed by dynamic
 * updates while the pool runs. Skipped, saying so, only where knotd is not installed; CI
 * installs it.
 */
class KnotIntegrationTest {

    private static final String SERVICE = "_echo._tcp." + KnotServer.ZONE;

    @TempDir
    Path dir;

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private EchoServer first;
    private EchoServer second;
    private KnotServer knot;

    @BeforeEach
    void startServers() throws Exception {
        assumeTrue(KnotServer.knotd().isPresent(),
                "knotd (Debian package 'knot') is not installed: the real-DNS-server tests cannot run here");
        first = echo();
        second = echo();
        knot = KnotServer.start(dir, "_echo._tcp 2 IN SRV 0 10 " + first.port() + " a\n"
                + "_echo._tcp 2 IN SRV 0 10 " + second.port() + " b\n"
                + "a 2 IN A 127.0.0.1\nb 2 IN A 127.0.0.1\n");
        cleanup.add(0, knot);
    }

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable closeable : cleanup) {
            closeable.close();
        }
    }

    private EchoServer echo() throws Exception {
        EchoServer server = EchoServer.start();
        cleanup.add(server);
        return server;
    }

    private DnsResolver resolver() {
        return new DnsResolver(DnsResolverConfig.srv(SERVICE).servers(List.of(knot.address()))
                .family(AddressFamily.IPV4_ONLY).queryInterval(Duration.ofSeconds(1))
                .retryInterval(Duration.ofMillis(500)).queryTimeout(Duration.ofSeconds(1)).build());
    }

    private Pool<Socket> pool(DnsResolver resolver) {
        Pool<Socket> pool = Pool.builder("knot", new TcpConnector(Duration.ofSeconds(1))).resolver(resolver)
                .policy(Policy.builder().sparesWanted(4).rebalanceInterval(Duration.ofMillis(200)).build()).build();
        cleanup.add(0, pool);
        return pool;
    }

    @Test
    void thePoolFollowsBackendsAddedAndRemovedByDynamicUpdates() throws Exception {
        Pool<Socket> pool = pool(resolver());
        await().until(() -> first.openConnections() == 2 && second.openConnections() == 2);
        try (Handle<Socket> handle = pool.claim()) {
            handle.get().getOutputStream().write(9);
            assertThat(handle.get().getInputStream().read()).isEqualTo(9);
        }

        EchoServer third = echo();
        knot.update(u -> {
            try {
                u.add(Name.fromString(SERVICE), Type.SRV, 2, "0 10 " + third.port() + " c." + KnotServer.ZONE);
                u.add(Name.fromString("c." + KnotServer.ZONE), Type.A, 2, "127.0.0.1");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(15)).until(() -> third.openConnections() > 0);

        knot.update(u -> {
            try {
                u.delete(Name.fromString(SERVICE), Type.SRV, "0 10 " + first.port() + " a." + KnotServer.ZONE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // Its slots are drained and its connections closed once its record's TTL has run out.
        await().atMost(Duration.ofSeconds(15)).until(() -> first.openConnections() == 0);
        assertThat(pool.stats().backends()).hasSize(2)
                .noneSatisfy((name, stats) -> assertThat(name).startsWith("a."));
        assertThat(second.openConnections() + third.openConnections()).isEqualTo(4);
    }

    @Test
    void aRemovedRecordStaysUntilItsTtlRunsOut() throws Exception {
        DnsResolver resolver = resolver();
        pool(resolver);
        await().until(() -> resolver.status().records().size() == 2);
        knot.update(u -> {
            try {
                u.delete(Name.fromString(SERVICE), Type.SRV, "0 10 " + first.port() + " a." + KnotServer.ZONE);
                u.delete(Name.fromString(SERVICE), Type.SRV, "0 10 " + second.port() + " b." + KnotServer.ZONE);
                u.add(Name.fromString(SERVICE), Type.SRV, 30, "0 10 " + second.port() + " b." + KnotServer.ZONE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long removedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(15)).until(() -> resolver.status().records().size() == 1);
        // Last seen at most one query interval (1 s) before the removal, with a 2 s TTL.
        assertThat(Duration.ofNanos(System.nanoTime() - removedAt)).isGreaterThan(Duration.ofMillis(900));
        assertThat(resolver.status().records().get(0).name()).startsWith("b.test.example/");
    }

    @Test
    void aServfailingServerLeavesTheBackendsInPlaceUntilItRecovers() throws Exception {
        DnsResolver resolver = resolver();
        Pool<Socket> pool = pool(resolver);
        await().until(() -> first.openConnections() == 2 && second.openConnections() == 2);

        knot.expireZone();
        resolver.resolveNow();
        await().atMost(Duration.ofSeconds(15)).until(() -> resolver.status().lastError().isPresent());
        assertThat(resolver.status().lastError().get()).contains("SERVFAIL");
        assertThat(pool.stats().backends()).hasSize(2);
        try (Handle<Socket> handle = pool.claim()) {
            assertThat(handle.get().isConnected()).isTrue();
        }

        knot.reload();
        resolver.resolveNow();
        await().atMost(Duration.ofSeconds(15)).until(() -> resolver.status().lastError().isEmpty());
        assertThat(resolver.status().records()).hasSize(2);
    }
}
