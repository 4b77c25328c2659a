package dev.qorb.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.qorb.Backend;
import dev.qorb.resolver.FixedResolver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * What the DNS resolver finds and for how long, against an in-JVM authoritative responder
 * speaking the real protocol over UDP and TCP.
 */
class DnsResolverTest extends DnsResolverFixture {

    @Test
    void srvTargetsBecomeOneBackendPerAddressWithPriorityAndWeight() throws Exception {
        TestDnsServer dns = zone();
        start(srv(dns));
        await().until(() -> reported.get() != null);
        assertThat(reported.get()).containsOnlyKeys("a.test.example/" + V6 + ":7001",
                "a.test.example/127.0.0.1:7001", "b.test.example/127.0.0.2:7002");
        Backend b = reported.get().get("b.test.example/127.0.0.2:7002");
        assertThat(b.address()).isEqualTo(new InetSocketAddress("127.0.0.2", 7002));
        assertThat(b.weight()).isEqualTo(20);
        assertThat(b.priority()).isZero();
    }

    @Test
    void theFamilyCanBeLimited() throws Exception {
        TestDnsServer dns = zone();
        start(srv(dns).family(AddressFamily.IPV6_ONLY));
        await().until(() -> reported.get() != null);
        assertThat(reported.get()).containsOnlyKeys("a.test.example/" + V6 + ":7001");
    }

    @Test
    void addressesInTheAdditionalSectionAreUsedAndMissingOnesAskedFor() throws Exception {
        TestDnsServer dns = server().srv(SERVICE, 0, 10, 7001, "a", 60).host("a", "::1", 60)
                .host("a", "127.0.0.1", 60);
        start(srv(dns));
        await().until(() -> reported.get() != null);
        assertThat(reported.get()).hasSize(2);
        assertThat(dns.udpQueries.get()).isEqualTo(1);

        TestDnsServer trimmed = server().srv(SERVICE, 0, 10, 7001, "a", 60).host("a", "::1", 60)
                .host("a", "127.0.0.1", 60);
        trimmed.additional = false;
        reported.set(null);
        start(srv(trimmed));
        await().until(() -> reported.get() != null);
        assertThat(reported.get()).hasSize(2);
        assertThat(trimmed.udpQueries.get()).isEqualTo(3);
    }

    @Test
    void aHostNameGivesItsAddressesOnTheConfiguredPort() throws Exception {
        TestDnsServer dns = zone();
        start(DnsResolverConfig.host("a.test.example", 5432).servers(List.of(dns.address())));
        await().until(() -> reported.get() != null);
        assertThat(reported.get()).containsOnlyKeys("a.test.example/" + V6 + ":5432", "a.test.example/127.0.0.1:5432");
    }

    @Test
    void aRecordGoneFromDnsStaysUntilItsTtlHasRunOut() throws Exception {
        TestDnsServer dns = server().srv(SERVICE, 0, 10, 7001, "a", 2).srv(SERVICE, 0, 10, 7002, "b", 60)
                .host("a", "127.0.0.1", 2).host("b", "127.0.0.2", 60);
        start(srv(dns).family(AddressFamily.IPV4_ONLY).queryInterval(Duration.ofMillis(200)));
        await().until(() -> reported.get() != null && reported.get().size() == 2);

        dns.remove(SERVICE, Type.SRV).srv(SERVICE, 0, 10, 7002, "b", 60);
        long removedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> reported.get().size() == 1);
        // Last seen at most one query interval (200 ms) before the removal, with a 2 s TTL.
        assertThat(Duration.ofNanos(System.nanoTime() - removedAt)).isGreaterThan(Duration.ofMillis(1700));
        assertThat(reported.get()).containsOnlyKeys("b.test.example/127.0.0.2:7002");
    }

    @Test
    void aHardTtlReplacesTheRecordsOwn() throws Exception {
        TestDnsServer dns = zone();
        DnsResolver resolver = start(srv(dns).family(AddressFamily.IPV4_ONLY).hardTtl(Duration.ofSeconds(1))
                .queryInterval(Duration.ofMillis(200)));
        await().until(() -> reported.get() != null && reported.get().size() == 2);
        assertThat(resolver.status().records().get(0).expires())
                .isBefore(java.time.Instant.now().plusSeconds(2));

        dns.remove(SERVICE, Type.SRV);
        await().atMost(Duration.ofSeconds(10)).until(() -> reported.get().isEmpty());
    }

    @Test
    void nxdomainAndNodataMeanNoBackends() throws Exception {
        TestDnsServer dns = zone();
        start(DnsResolverConfig.srv("_nope._tcp.test.example").servers(List.of(dns.address())));
        await().until(() -> reported.get() != null);
        assertThat(reported.get()).isEmpty();

        reported.set(null);
        start(DnsResolverConfig.srv("a.test.example").servers(List.of(dns.address())));
        await().until(() -> reported.get() != null);
        assertThat(reported.get()).isEmpty();
    }

    @Test
    void anEmptyAnswerIsBelievedOnlyWhenNoServerHasRecords() throws Exception {
        TestDnsServer empty = server();
        TestDnsServer slowButFull = zone();
        start(srv(empty, slowButFull));
        await().until(() -> reported.get() != null);
        assertThat(reported.get()).hasSize(3);
    }

    @Test
    void aTruncatedUdpAnswerIsAskedAgainOverTcp() throws Exception {
        TestDnsServer dns = server();
        for (int i = 0; i < 40; i++) {
            String target = "backend-with-a-rather-long-name-number-" + i;
            dns.srv(SERVICE, 0, 10, 7000 + i, target, 60).host(target, "127.0.1." + (i + 1), 60);
        }
        start(srv(dns).family(AddressFamily.IPV4_ONLY));
        await().atMost(Duration.ofSeconds(10)).until(() -> reported.get() != null);
        assertThat(reported.get()).hasSize(40);
        assertThat(dns.tcpQueries.get()).isPositive();
    }

    @Test
    void moreDnsServersAreDiscoveredThroughAnSrvName() throws Exception {
        TestDnsServer second = zone();
        TestDnsServer first = server().srv("_dns._udp", 0, 10, second.address().getPort(), "ns2", 60)
                .host("ns2", "127.0.0.1", 60);
        DnsResolver resolver = start(srv(first).serverDiscovery("_dns._udp.test.example"));
        await().atMost(Duration.ofSeconds(10)).until(() -> reported.get() != null);
        assertThat(reported.get()).hasSize(3);
        assertThat(resolver.status().servers()).extracting(DnsResolver.ServerStatus::address)
                .containsExactly("127.0.0.1:" + first.address().getPort(), "127.0.0.1:" + second.address().getPort());
    }

    @Test
    void closedMeansNoMoreReports() throws Exception {
        TestDnsServer dns = zone();
        DnsResolver resolver = start(srv(dns));
        await().until(() -> reported.get() != null);
        resolver.close();
        dns.remove(SERVICE, Type.SRV);
        resolver.resolveNow();
        assertThat(reports.get()).isEqualTo(1);
    }

    @Test
    void serviceAddressesPickTheRightResolver() {
        assertThat(ServiceAddresses.resolver("127.0.0.1:7001")).isInstanceOf(FixedResolver.class);
        assertThat(ServiceAddresses.resolver("[::1]:7001, 127.0.0.1:7002")).isInstanceOf(FixedResolver.class);
        assertThat(ServiceAddresses.resolver("db.test.example:5432", b -> b.servers(List.of(
                new InetSocketAddress("127.0.0.1", 53))))).hasToString("DnsResolver[db.test.example. port 5432 (BOTH)]");
        assertThat(ServiceAddresses.resolver("_pg._tcp.db.test.example", b -> b.servers(List.of(
                new InetSocketAddress("127.0.0.1", 53))))).hasToString("DnsResolver[SRV _pg._tcp.db.test.example. (BOTH)]");
        assertThatThrownBy(() -> ServiceAddresses.resolver("_pg._tcp.db:5432"))
                .hasMessageContaining("an SRV name carries no port");
        assertThatThrownBy(() -> ServiceAddresses.resolver("db.example")).hasMessageContaining("the port is missing");
        assertThatThrownBy(() -> ServiceAddresses.resolver("a.example:1,b.example:2"))
                .hasMessageContaining("a list may hold IP addresses only");
        assertThatThrownBy(() -> ServiceAddresses.resolver(" ")).hasMessageContaining("must not be empty");
    }

    @Test
    void aTtlZeroRecordAppearsStaysWhileDnsKeepsItAndGoesAtTheFirstLookupWithoutIt() throws Exception {
        TestDnsServer dns = server().srv(SERVICE, 0, 10, 7001, "a", 0).host("a", "127.0.0.1", 0)
                .srv(SERVICE, 0, 10, 7002, "b", 0).host("b", "127.0.0.2", 0);
        List<Integer> queriesAtReport = new CopyOnWriteArrayList<>();
        DnsResolver resolver = new DnsResolver(srv(dns).family(AddressFamily.IPV4_ONLY)
                .queryInterval(Duration.ofMillis(100)).build());
        cleanup.add(0, resolver);
        resolver.start(backends -> {
            queriesAtReport.add(dns.udpQueries.get());
            reported.set(backends);
            reports.incrementAndGet();
        });
        await().until(() -> reported.get() != null && reported.get().size() == 2);
        int seen = dns.udpQueries.get();
        await().until(() -> dns.udpQueries.get() >= seen + 5);
        assertThat(reports.get()).as("no flapping while DNS keeps the records").isEqualTo(1);

        int removedAt = dns.udpQueries.get();
        dns.remove(SERVICE, Type.SRV).srv(SERVICE, 0, 10, 7002, "b", 0);
        await().until(() -> reported.get().size() == 1);
        assertThat(reported.get()).containsOnlyKeys("b.test.example/127.0.0.2:7002");
        // One lookup may have been under way when the record went; the one after it drops the record.
        assertThat(queriesAtReport.get(queriesAtReport.size() - 1)).isLessThanOrEqualTo(removedAt + 2);
    }

    @Test
    void anEmptyAnswerIsAskedAgainAtItsNegativeTtlWhenShorterThanTheRetryIntervalButNotWithinASecond()
            throws Exception {
        for (long negativeTtl : new long[] {0, 1}) {
            TestDnsServer dns = server();
            dns.negativeTtl = negativeTtl;
            DnsResolver resolver = new DnsResolver(srv(dns).retryInterval(Duration.ofSeconds(30)).build());
            cleanup.add(0, resolver);
            resolver.start(reported::set);
            await().pollInterval(Duration.ofMillis(10)).until(() -> resolver.lookups(LookupOutcome.EMPTY) == 1);
            long first = System.nanoTime();
            await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5))
                    .until(() -> resolver.lookups(LookupOutcome.EMPTY) == 2);
            assertThat(Duration.ofNanos(System.nanoTime() - first)).as("negative TTL %d s", negativeTtl)
                    .isBetween(Duration.ofMillis(850), Duration.ofMillis(3000));
        }
    }

    @Test
    void invalidSettingsAreRejectedNamingTheField() {
        assertThatThrownBy(() -> DnsResolverConfig.srv("_x._tcp.example").queryInterval(Duration.ZERO).build())
                .hasMessage("dns.queryInterval must be positive but was PT0S");
        assertThatThrownBy(() -> DnsResolverConfig.srv("_x._tcp.example").maxConcurrency(0).build())
                .hasMessage("dns.maxConcurrency must be at least 1 but was 0");
        assertThatThrownBy(() -> DnsResolverConfig.host("db.example", 0))
                .hasMessage("dns.port must be between 1 and 65535 but was 0");
        assertThatThrownBy(() -> new DnsResolver(DnsResolverConfig.srv("bad..name").servers(List.of(
                new InetSocketAddress("127.0.0.1", 53))).build())).hasMessageStartingWith("dns.name 'bad..name' is not a valid DNS name");
    }
}
