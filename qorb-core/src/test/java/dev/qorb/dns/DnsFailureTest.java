package dev.qorb.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Type;

/**
 * The DNS resolver when servers fail (SERVFAIL, silence, garbage): what it keeps, how often it
 * asks again, what it logs, how long it waits, and what it tells operators.
 */
class DnsFailureTest extends DnsResolverFixture {

    @Test
    void whenEveryServerFailsTheLastKnownBackendsStay() throws Exception {
        TestDnsServer dns = zone();
        DnsResolver resolver = start(srv(dns));
        await().until(() -> reported.get() != null && reported.get().size() == 3);

        for (TestDnsServer.Mode failure : new TestDnsServer.Mode[] {TestDnsServer.Mode.SERVFAIL,
                TestDnsServer.Mode.DROP, TestDnsServer.Mode.GARBAGE}) {
            dns.mode = failure;
            resolver.resolveNow();
            await().atMost(Duration.ofSeconds(10)).until(() -> resolver.status().lastError().isPresent());
            assertThat(reported.get()).hasSize(3);
            dns.mode = TestDnsServer.Mode.ANSWER;
            resolver.resolveNow();
            await().until(() -> resolver.status().lastError().isEmpty());
        }
        DnsResolver.ServerStatus server = resolver.status().servers().get(0);
        assertThat(server.errors()).isGreaterThanOrEqualTo(2);
        assertThat(server.timeouts()).isPositive();
        assertThat(reports.get()).isEqualTo(1);
    }

    @Test
    void oneServerDownOrBrokenAndTheOtherAnswers() throws Exception {
        TestDnsServer good = zone();
        TestDnsServer servfail = zone();
        servfail.mode = TestDnsServer.Mode.SERVFAIL;
        TestDnsServer garbage = zone();
        garbage.mode = TestDnsServer.Mode.GARBAGE;
        TestDnsServer gone = server();
        gone.close();
        start(srv(gone, servfail, garbage, good));
        await().atMost(Duration.ofSeconds(10)).until(() -> reported.get() != null);
        assertThat(reported.get()).hasSize(3);
    }

    @Test
    void anAddressLookupThatFailsKeepsItsRecordsWhileTheOthersAreRefreshed() throws Exception {
        TestDnsServer dns = server().host("a", "::1", 0).host("a", "127.0.0.1", 0);
        DnsResolver resolver = start(DnsResolverConfig.host("a.test.example", 5432).servers(List.of(dns.address()))
                .queryInterval(Duration.ofMillis(100)));
        await().until(() -> reported.get() != null && reported.get().size() == 2);
        dns.servfailType = Type.AAAA;
        dns.remove("a", Type.A).host("a", "127.0.0.3", 0);
        await().until(() -> reported.get().containsKey("a.test.example/127.0.0.3:5432"));
        assertThat(reported.get()).containsOnlyKeys("a.test.example/" + V6 + ":5432", "a.test.example/127.0.0.3:5432");
        assertThat(resolver.lastError()).isEmpty();
    }

    @Test
    void anOutageIsRetriedAtTheRetryIntervalAndLoggedOnceWhenItStartsAndOnceWhenItEnds() throws Exception {
        TestDnsServer dns = server().srv(SERVICE, 0, 10, 7001, "a", 1).host("a", "127.0.0.1", 1);
        ListAppender<ILoggingEvent> log = capture();
        DnsResolver resolver = start(srv(dns).family(AddressFamily.IPV4_ONLY));
        await().until(() -> reported.get() != null && reported.get().size() == 1);
        int before = dns.udpQueries.get();
        dns.mode = TestDnsServer.Mode.SERVFAIL;
        resolver.resolveNow();
        await().atMost(Duration.ofSeconds(20)).until(() -> dns.udpQueries.get() >= before + 10);
        // One query a lookup, one lookup each retry interval (200 ms): never sooner, and (the median,
        // which a loaded machine's stalls do not move) not much later; the expired record is kept.
        List<Long> gaps = gapsInMillis(dns.udpQueryTimes.subList(before, before + 10));
        assertThat(gaps).allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(195));
        assertThat(median(gaps)).isLessThan(300);
        assertThat(reported.get()).hasSize(1);
        assertThat(reports.get()).isEqualTo(1);

        dns.mode = TestDnsServer.Mode.ANSWER;
        await().until(() -> resolver.status().lastError().isEmpty());
        // Only this resolver's lines: a resolver of another test may still be closing in this JVM.
        String self = resolver.toString();
        assertThat(lines(log, Level.WARN)).filteredOn(line -> line.contains(self)).singleElement().asString()
                .contains("lookups failed; keeping 1 known backends, retrying every 200 ms: SERVFAIL from");
        assertThat(lines(log, Level.INFO)).filteredOn(line -> line.contains(self) && line.contains("work again"))
                .hasSize(1);
    }

    @Test
    void troubleMakesItLookAgainSoonButAtMostOncePerRetryInterval() throws Exception {
        TestDnsServer dns = server().srv(SERVICE, 0, 10, 7001, "a", 0).host("a", "127.0.0.1", 0);
        DnsResolver resolver = start(srv(dns).family(AddressFamily.IPV4_ONLY)); // query interval 60 s
        await().until(() -> reported.get() != null && reported.get().size() == 1);
        dns.remove(SERVICE, Type.SRV).srv(SERVICE, 0, 10, 7002, "a", 0);
        resolver.troubleSeen();
        await().atMost(Duration.ofSeconds(5)).until(() -> reported.get().containsKey("a.test.example/127.0.0.1:7002"));

        long lookupsBefore = lookups(resolver);
        long start = System.nanoTime();
        Thread[] callers = new Thread[4];
        for (int i = 0; i < callers.length; i++) {
            callers[i] = new Thread(() -> {
                while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1)) {
                    resolver.troubleSeen();
                }
            });
            callers[i].start();
        }
        for (Thread caller : callers) {
            caller.join();
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> lookups(resolver) > lookupsBefore);
        long lookups = lookups(resolver) - lookupsBefore;
        // One lookup per retry interval (200 ms) at most.
        assertThat(lookups).isLessThanOrEqualTo(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) / 200 + 1);
    }

    @Test
    void lookupsAreCountedByOutcomeAndTheLastErrorNamesWhatFailedWhere() throws Exception {
        TestDnsServer dns = zone();
        String server = "127.0.0.1:" + dns.address().getPort();
        DnsResolver resolver = start(srv(dns));
        await().until(() -> resolver.lookups(LookupOutcome.ANSWERED) == 1);
        assertThat(resolver.lastError()).isEmpty();

        dns.mode = TestDnsServer.Mode.SERVFAIL;
        resolver.resolveNow();
        await().until(() -> resolver.lookups(LookupOutcome.ERROR) >= 1);
        assertThat(resolver.lastError()).hasValue("SERVFAIL from " + server + " for _echo._tcp.test.example. SRV");

        dns.mode = TestDnsServer.Mode.DROP;
        await().until(() -> resolver.lookups(LookupOutcome.TIMEOUT) >= 1);
        assertThat(resolver.lastError()).hasValue("no answer within 300 ms from " + server
                + " for _echo._tcp.test.example. SRV");

        dns.remove(SERVICE, Type.SRV).mode = TestDnsServer.Mode.ANSWER;
        await().until(() -> resolver.lookups(LookupOutcome.EMPTY) >= 1);
        assertThat(resolver.lastError()).isEmpty();
        assertThat(resolver.lookups(LookupOutcome.ANSWERED)).isEqualTo(1);
    }

    @Test
    void theQueryTimeoutIsHonouredWithin100MsWithoutASystemProperty(@TempDir Path dir) throws Exception {
        assertThat(System.getProperty("dnsjava.nio.selector_timeout")).isNull();
        TestDnsServer dns = zone();
        dns.mode = TestDnsServer.Mode.DROP;
        DnsResolver resolver = new DnsResolver(srv(dns).queryTimeout(Duration.ofMillis(200))
                .retryInterval(Duration.ofMillis(100)).build());
        cleanup.add(0, resolver);
        resolver.start(reported::set);
        await().atMost(Duration.ofSeconds(10)).until(() -> resolver.lookups(LookupOutcome.TIMEOUT) >= 2);
        Path file = dir.resolve("dns.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.qorb.DnsLookup").withoutThreshold();
            recording.start();
            long recorded = resolver.lookups(LookupOutcome.TIMEOUT);
            await().atMost(Duration.ofSeconds(10)).until(() -> resolver.lookups(LookupOutcome.TIMEOUT) >= recorded + 5);
            resolver.close();
            recording.stop();
            recording.dump(file);
        }
        // A lookup begun before the recording started has no duration in it.
        List<RecordedEvent> lookups = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.qorb.DnsLookup"))
                .filter(e -> !e.getDuration().isZero()).toList();
        // Each lookup is one query to a server that never answers: the lookup's duration is the timeout's,
        // never shorter, and (the median, which a loaded machine's stalls do not move) within 100 ms.
        assertThat(lookups).hasSizeGreaterThanOrEqualTo(4).allSatisfy(e -> {
            assertThat(e.getString("outcome")).isEqualTo("TIMEOUT");
            assertThat(e.getString("name")).isEqualTo("_echo._tcp.test.example.");
            assertThat(e.getString("server")).isEqualTo("127.0.0.1:" + dns.address().getPort());
            assertThat(e.getDuration()).isBetween(Duration.ofMillis(200), Duration.ofMillis(1000));
        });
        assertThat(median(lookups.stream().map(e -> e.getDuration().toMillis()).toList())).isLessThan(300);
    }

    private static List<Long> gapsInMillis(List<Long> nanoTimes) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < nanoTimes.size(); i++) {
            gaps.add(TimeUnit.NANOSECONDS.toMillis(nanoTimes.get(i) - nanoTimes.get(i - 1)));
        }
        return gaps;
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static long lookups(DnsResolver resolver) {
        return Arrays.stream(LookupOutcome.values()).mapToLong(resolver::lookups).sum();
    }

    private ListAppender<ILoggingEvent> capture() {
        Logger logger = (Logger) LoggerFactory.getLogger(DnsResolver.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        cleanup.add(() -> logger.detachAppender(appender));
        return appender;
    }

    private static List<String> lines(ListAppender<ILoggingEvent> log, Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
