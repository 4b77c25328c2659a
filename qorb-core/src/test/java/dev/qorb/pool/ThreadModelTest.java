package dev.qorb.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qorb.Backend;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.dns.DnsResolver;
import dev.qorb.dns.DnsResolverConfig;
import dev.qorb.dns.LookupOutcome;
import dev.qorb.testing.MutableResolver;
import dev.qorb.testing.ScriptedConnector;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * No thread per slot, pool or resolver: background threads stay few, whatever the number of
 * pools, backends, slots and DNS resolvers.
 */
class ThreadModelTest {

    @Test
    void thirtyPoolsOfSixteenSlotsAndTenDnsResolversShareAFewThreads() throws Exception {
        List<Pool<?>> pools = new ArrayList<>();
        List<DnsResolver> resolvers = new ArrayList<>();
        // A DNS server that never answers: every resolver's queries stay in dnsjava's hands until they time out.
        try (DatagramSocket silentDns = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (int p = 0; p < 20; p++) {
                MutableResolver resolver = new MutableResolver();
                for (int b = 0; b < 10; b++) {
                    resolver.add(Backend.of("127.0.0.1", 7000 + b));
                }
                pools.add(Pool.builder("pool-" + p, new ScriptedConnector()).resolver(resolver)
                        .policy(Policy.builder().maxSlots(16).sparesWanted(16)
                                .backend(b -> b.healthInterval(Duration.ofMillis(50))).build())
                        .build());
            }
            for (int p = 0; p < 10; p++) {
                DnsResolver resolver = new DnsResolver(DnsResolverConfig.srv("_svc" + p + "._tcp.test.example")
                        .servers(List.of((InetSocketAddress) silentDns.getLocalSocketAddress()))
                        .queryTimeout(Duration.ofMillis(200)).retryInterval(Duration.ofMillis(100)).build());
                resolvers.add(resolver);
                pools.add(Pool.builder("dns-" + p, new ScriptedConnector()).resolver(resolver).build());
            }
            await().until(() -> pools.stream().limit(20).allMatch(p -> p.stats().unclaimed() == 16));
            await().until(() -> resolvers.stream().allMatch(r -> r.lookups(LookupOutcome.TIMEOUT) >= 2));

            Map<String, Long> threads = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(name -> name.startsWith("qorb-") || name.startsWith("dnsjava"))
                    .collect(Collectors.groupingBy(name -> name.replaceAll("-\\d+$", ""), Collectors.counting()));
            // qorb: one scheduler, the workers, one thread for every DNS resolver's lookups, and one for the
            // host names of fixed lists if any test in this JVM used one.
            assertThat(threads.get("qorb-scheduler")).isEqualTo(1);
            assertThat(threads.get("qorb-worker")).isLessThanOrEqualTo(SharedExecutors.WORKER_THREADS);
            assertThat(threads.get("qorb-dns")).isEqualTo(1);
            assertThat(threads.getOrDefault("qorb-hosts", 0L)).isLessThanOrEqualTo(1);
            // dnsjava: its one NIO selector thread, for every query of every resolver in the JVM.
            assertThat(threads.get("dnsjava NIO selector")).isEqualTo(1);
            assertThat(threads.keySet()).isSubsetOf("qorb-scheduler", "qorb-worker", "qorb-dns", "qorb-hosts",
                    "dnsjava NIO selector");
        } finally {
            pools.forEach(Pool::close);
        }
    }
}
