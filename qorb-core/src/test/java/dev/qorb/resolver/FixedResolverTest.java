package dev.qorb.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.qorb.Backend;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Fixed lists: addresses as they are, host names through the system's resolver, looked up again. */
class FixedResolverTest {

    @Test
    void reportsEveryAddressOnceNamedByIt() {
        AtomicReference<Map<String, Backend>> reported = new AtomicReference<>();
        FixedResolver.parse(List.of("127.0.0.1:7001", "[::1]:7002", "127.0.0.1:7001")).start(reported::set);
        assertThat(reported.get()).containsOnlyKeys("127.0.0.1:7001", "[0:0:0:0:0:0:0:1]:7002");
        assertThat(reported.get().get("127.0.0.1:7001").address().getPort()).isEqualTo(7001);
    }

    @Test
    void badAddressesAreRejectedSayingWhatIsWrong() {
        assertThatThrownBy(() -> HostPort.parse("127.0.0.1")).hasMessage(
                "invalid address '127.0.0.1': the port is missing; expected host:port such as 127.0.0.1:7001");
        assertThatThrownBy(() -> HostPort.parse("::1:80")).hasMessage(
                "invalid address '::1:80': an IPv6 address must be in brackets, such as [::1]:7001");
        assertThatThrownBy(() -> HostPort.parse("[::1]80")).hasMessage(
                "invalid address '[::1]80': an IPv6 address needs the form [address]:port, such as [::1]:7001");
        assertThatThrownBy(() -> HostPort.parse("host:http")).hasMessage(
                "invalid address 'host:http': the port 'http' is not a number");
        assertThatThrownBy(() -> HostPort.parse("host:70000")).hasMessage(
                "invalid address 'host:70000': the port 70000 is outside 1 to 65535");
        assertThatThrownBy(() -> HostPort.parse(":80")).hasMessage(
                "invalid address ':80': the host is missing; expected host:port such as 127.0.0.1:7001");
        assertThatThrownBy(() -> HostPort.parse(" ")).hasMessageStartingWith("address must not be empty");
        assertThatThrownBy(() -> new FixedResolver(List.of())).hasMessage("a FixedResolver needs at least one backend");
    }

    @Test
    void anIpv6LiteralKeepsItsBrackets() {
        assertThat(HostPort.parse("[::1]:7001")).isEqualTo(new HostPort("::1", 7001));
        assertThat(HostPort.parse("[::1]:7001").toString()).isEqualTo("[::1]:7001");
        assertThat(Backend.of("::1", 7001).toString()).isEqualTo("[0:0:0:0:0:0:0:1]:7001");
    }

    @Test
    void aHostNameIsLookedUpThroughTheSystemResolverAndNamedLikeDnsHostMode() {
        FixedResolver resolver = FixedResolver.parse(List.of("localhost:7001", "127.0.0.1:7002"));
        AtomicReference<Map<String, Backend>> reported = new AtomicReference<>();
        try (resolver) {
            resolver.start(reported::set);
            assertThat(reported.get()).containsKeys("localhost/127.0.0.1:7001", "127.0.0.1:7002");
            reported.get().forEach((name, backend) -> assertThat(backend.name()).isEqualTo(name));
            assertThat(resolver).hasToString("FixedResolver[127.0.0.1:7002, localhost:7001]");
        }
    }

    @Test
    void hostNamesAreLookedUpAgainOnTheIntervalAndKeepTheirAddressesWhileLookupsFail() throws Exception {
        AtomicReference<Object> answer = new AtomicReference<>(addresses("127.0.0.1"));
        FixedResolver resolver = new FixedResolver(List.of(Backend.of("127.0.0.9", 7000)),
                List.of(new HostPort("db1.internal", 5432)), host -> lookUp(answer), Duration.ofMillis(50),
                Duration.ofSeconds(10));
        AtomicReference<Map<String, Backend>> reported = new AtomicReference<>();
        try (resolver) {
            resolver.start(reported::set);
            assertThat(reported.get()).containsOnlyKeys("127.0.0.9:7000", "db1.internal/127.0.0.1:5432");

            answer.set(addresses("127.0.0.2", "127.0.0.3"));
            await().until(() -> reported.get().size() == 3);
            assertThat(reported.get()).containsOnlyKeys("127.0.0.9:7000", "db1.internal/127.0.0.2:5432",
                    "db1.internal/127.0.0.3:5432");

            answer.set(new UnknownHostException("db1.internal: Name or service not known"));
            await().until(() -> resolver.lastError().isPresent());
            assertThat(resolver.lastError()).hasValue("db1.internal does not resolve (db1.internal: Name or service not known)");
            assertThat(reported.get()).hasSize(3);

            answer.set(addresses("127.0.0.2"));
            await().until(() -> resolver.lastError().isEmpty() && reported.get().size() == 2);
        }
    }

    @Test
    void troubleAndResolveNowLookHostNamesUpAgainButTroubleAtMostOncePerItsInterval() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        AtomicReference<Object> answer = new AtomicReference<>(addresses("127.0.0.1"));
        FixedResolver resolver = new FixedResolver(List.of(), List.of(new HostPort("db1.internal", 5432)), host -> {
            lookups.incrementAndGet();
            return lookUp(answer);
        }, Duration.ofMinutes(1), Duration.ofMillis(200));
        AtomicReference<Map<String, Backend>> reported = new AtomicReference<>();
        try (resolver) {
            resolver.start(reported::set);
            answer.set(addresses("127.0.0.2"));
            resolver.resolveNow();
            await().until(() -> reported.get().containsKey("db1.internal/127.0.0.2:5432"));

            int before = lookups.get();
            long start = System.nanoTime();
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1)) {
                resolver.troubleSeen();
            }
            await().until(() -> lookups.get() > before);
            assertThat(lookups.get() - before)
                    .isLessThanOrEqualTo((int) (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) / 200 + 1));
        }
        FixedResolver ips = FixedResolver.of(Backend.of("127.0.0.1", 7001));
        ips.troubleSeen();
        ips.resolveNow();
        assertThat(ips.lastError()).isEmpty();
    }

    @Test
    void aHostNameThatDoesNotResolveAtTheStartIsRejectedNamingIt() {
        assertThatThrownBy(() -> new FixedResolver(List.of(), List.of(new HostPort("db1.internal", 5432)), host -> {
            throw new UnknownHostException(host);
        }, Duration.ofMinutes(1), Duration.ofSeconds(10)))
                .hasMessage("address 'db1.internal:5432': the host 'db1.internal' does not resolve");
    }

    private static InetAddress[] addresses(String... ips) throws UnknownHostException {
        InetAddress[] addresses = new InetAddress[ips.length];
        for (int i = 0; i < ips.length; i++) {
            addresses[i] = InetAddress.getByName(ips[i]);
        }
        return addresses;
    }

    private static InetAddress[] lookUp(AtomicReference<Object> answer) throws UnknownHostException {
        Object current = answer.get();
        if (current instanceof UnknownHostException e) {
            throw e;
        }
        return (InetAddress[]) current;
    }
}
