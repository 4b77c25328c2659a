package dev.qorb.dns;

import dev.qorb.Backend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;

/** What the DNS resolver's tests share: in-JVM servers and resolvers they stop, and what the resolver reported. */
abstract class DnsResolverFixture {

    static final String SERVICE = "_echo._tcp";
    static final String V6 = "[0:0:0:0:0:0:0:1]";

    final List<AutoCloseable> cleanup = new ArrayList<>();
    final AtomicReference<Map<String, Backend>> reported = new AtomicReference<>();
    final AtomicInteger reports = new AtomicInteger();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable closeable : cleanup) {
            closeable.close();
        }
    }

    TestDnsServer server() throws Exception {
        TestDnsServer server = new TestDnsServer();
        cleanup.add(server);
        return server;
    }

    /** Two SRV targets: {@code a} with an AAAA and an A record, {@code b} with an A record; TTL 60. */
    TestDnsServer zone() throws Exception {
        return server().srv(SERVICE, 0, 10, 7001, "a", 60).srv(SERVICE, 0, 20, 7002, "b", 60)
                .host("a", "::1", 60).host("a", "127.0.0.1", 60).host("b", "127.0.0.2", 60);
    }

    /** Starts a resolver with a 300 ms query timeout and a 200 ms retry interval, reporting to {@link #reported}. */
    DnsResolver start(DnsResolverConfig.Builder config) {
        DnsResolver resolver = new DnsResolver(config.queryTimeout(Duration.ofMillis(300))
                .retryInterval(Duration.ofMillis(200)).build());
        cleanup.add(0, resolver);
        resolver.start(backends -> {
            reported.set(backends);
            reports.incrementAndGet();
        });
        return resolver;
    }

    static DnsResolverConfig.Builder srv(TestDnsServer... servers) {
        return DnsResolverConfig.srv(SERVICE + ".test.example")
                .servers(Arrays.stream(servers).map(TestDnsServer::address).toList());
    }
}
