package dev.qorb.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.qorb.ClaimException;
import dev.qorb.Handle;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.connector.TcpConnector;
import dev.qorb.testing.EchoServer;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** A pool following SRV priorities and weights, found through the in-JVM DNS responder, over real TCP backends. */
class DnsPoolTest {

    @Test
    void thePoolUsesTheLowestPriorityOnlineAndFallsBackToTheNext() throws Exception {
        try (EchoServer primary = EchoServer.start(); EchoServer backup = EchoServer.start();
                TestDnsServer dns = new TestDnsServer()) {
            dns.srv("_echo._tcp", 10, 1, primary.port(), "primary", 60).host("primary", "127.0.0.1", 60)
                    .srv("_echo._tcp", 20, 1, backup.port(), "backup", 60).host("backup", "127.0.0.1", 60);
            DnsResolver resolver = new DnsResolver(DnsResolverConfig.srv("_echo._tcp.test.example")
                    .servers(List.of(dns.address())).family(AddressFamily.IPV4_ONLY).build());
            try (Pool<Socket> pool = Pool.builder("srv", new TcpConnector(Duration.ofSeconds(1))).resolver(resolver)
                    .policy(Policy.builder().sparesWanted(4).rebalanceInterval(Duration.ofMillis(100))
                            .backend(b -> b.maxBackoff(Duration.ofMillis(100)).healthInterval(Duration.ofMillis(50)))
                            .build())
                    .build()) {
                await().untilAsserted(() -> assertThat(primary.openConnections()).as("%s", pool.stats()).isEqualTo(4));
                assertThat(backup.openConnections()).isZero();
                try (Handle<Socket> handle = pool.claim()) {
                    assertThat(handle.backend().address().getPort()).isEqualTo(primary.port());
                    // One name everywhere: the handle, the stats, drain.
                    assertThat(handle.backend()).hasToString("primary.test.example/127.0.0.1:" + primary.port());
                    assertThat(pool.stats().backends()).containsKey(handle.backend().name());
                }

                primary.stop();
                // Four wanted: the primary keeps one probing slot, the backup takes the other three.
                await().atMost(Duration.ofSeconds(10)).until(() -> backup.openConnections() == 3);
                try (Handle<Socket> handle = pool.claim()) {
                    assertThat(handle.backend().address().getPort()).isEqualTo(backup.port());
                }

                primary.restart();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> primary.openConnections() == 4 && backup.openConnections() == 0);
            }
        }
    }

    @Test
    void slotsSpreadInProportionToWeight() throws Exception {
        try (EchoServer heavy = EchoServer.start(); EchoServer light = EchoServer.start();
                TestDnsServer dns = new TestDnsServer()) {
            dns.srv("_echo._tcp", 0, 75, heavy.port(), "heavy", 60).host("heavy", "127.0.0.1", 60)
                    .srv("_echo._tcp", 0, 25, light.port(), "light", 60).host("light", "127.0.0.1", 60);
            try (Pool<Socket> pool = Pool.builder("weights", new TcpConnector(Duration.ofSeconds(1)))
                    .resolver(ServiceAddresses.resolver("_echo._tcp.test.example",
                            b -> b.servers(List.of(dns.address())).family(AddressFamily.IPV4_ONLY)))
                    .policy(Policy.builder().sparesWanted(10).build()).build()) {
                // 10 wanted: one each, then 8 in the ratio 3:1.
                await().until(() -> heavy.openConnections() == 7 && light.openConnections() == 3);
                assertThat(pool.stats().slots()).isEqualTo(10);
            }
        }
    }

    @Test
    void aBackendWhoseConnectsFailMakesTheResolverLookAgainAndFindItsReplacementWithoutWaitingAQueryInterval()
            throws Exception {
        try (EchoServer old = EchoServer.start(); EchoServer replacement = EchoServer.start();
                TestDnsServer dns = new TestDnsServer()) {
            dns.srv("_echo._tcp", 0, 1, old.port(), "pod", 0).host("pod", "127.0.0.1", 0);
            DnsResolver resolver = new DnsResolver(DnsResolverConfig.srv("_echo._tcp.test.example")
                    .servers(List.of(dns.address())).family(AddressFamily.IPV4_ONLY)
                    .queryInterval(Duration.ofMinutes(10)).retryInterval(Duration.ofMillis(500)).build());
            try (Pool<Socket> pool = Pool.builder("moved", new TcpConnector(Duration.ofSeconds(1))).resolver(resolver)
                    .policy(Policy.builder().sparesWanted(2).rebalanceInterval(Duration.ofMillis(100))
                            .backend(b -> b.maxBackoff(Duration.ofMillis(100)).healthInterval(Duration.ofMillis(50)))
                            .build())
                    .build()) {
                await().until(() -> old.openConnections() == 2);
                // The pod is replaced: DNS names the new one, the old one is gone.
                dns.remove("_echo._tcp", Type.SRV).srv("_echo._tcp", 0, 1, replacement.port(), "pod", 0);
                old.stop();
                await().atMost(Duration.ofSeconds(10)).until(() -> replacement.openConnections() == 2);
                assertThat(pool.stats().backends()).containsOnlyKeys("pod.test.example/127.0.0.1:" + replacement.port());
            }
        }
    }

    @Test
    void whenDnsFailsAClaimSaysWhyInsteadOfThatTheResolverReportsNone() throws Exception {
        try (TestDnsServer dns = new TestDnsServer()) {
            dns.mode = TestDnsServer.Mode.SERVFAIL;
            DnsResolver resolver = new DnsResolver(DnsResolverConfig.srv("_echo._tcp.test.example")
                    .servers(List.of(dns.address())).build());
            try (Pool<Socket> pool = Pool.builder("dns-down", new TcpConnector(Duration.ofSeconds(1)))
                    .resolver(resolver).build()) {
                await().until(() -> resolver.lastError().isPresent());
                assertThatThrownBy(() -> pool.claim(Duration.ofMillis(50))).isInstanceOfSatisfying(ClaimException.class,
                        e -> assertThat(e.kind()).isEqualTo(ClaimException.Kind.NO_BACKENDS))
                        .hasMessageContaining("the resolver's last lookup failed: SERVFAIL from 127.0.0.1:"
                                + dns.address().getPort() + " for _echo._tcp.test.example. SRV");
            }
        }
    }
}
