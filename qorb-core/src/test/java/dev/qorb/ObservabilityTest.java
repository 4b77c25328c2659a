package dev.qorb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.qorb.pool.QorbPool;
import dev.qorb.testing.MutableResolver;
import dev.qorb.testing.ScriptedConnector;
import dev.qorb.testing.ScriptedConnector.Conn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What the pool tells operators: JFR events and leak reports. */
class ObservabilityTest {

    private static final Backend BACKEND = Backend.of("127.0.0.1", 7001);

    @Test
    void jfrEventsAreRecordedAtEveryProbePoint(@TempDir Path dir) throws Exception {
        ScriptedConnector connector = new ScriptedConnector();
        Path file = dir.resolve("qorb.jfr");
        try (Recording recording = new Recording()) {
            for (String name : List.of("Claim", "Release", "Connect", "HealthCheck", "Recycle", "Rebalance",
                    "SlotStateChange", "BackendStateChange")) {
                recording.enable("dev.qorb." + name).withoutThreshold();
            }
            recording.start();
            try (Pool<Conn> pool = Pool.builder("jfr", connector).resolver(new MutableResolver().add(BACKEND))
                    .policy(Policy.builder().maxSlots(2).sparesWanted(2)
                            .backend(b -> b.healthInterval(Duration.ofMillis(10))).build())
                    .build()) {
                try (Handle<Conn> handle = pool.claim()) {
                    handle.get();
                }
                await().until(() -> connector.isValidCalls.get() > 0 && connector.onRecycleCalls.get() > 0);
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Set<String> names = events.stream().map(e -> e.getEventType().getName()).collect(Collectors.toSet());
        assertThat(names).contains("dev.qorb.Claim", "dev.qorb.Release", "dev.qorb.Connect", "dev.qorb.HealthCheck",
                "dev.qorb.Recycle", "dev.qorb.Rebalance", "dev.qorb.SlotStateChange", "dev.qorb.BackendStateChange");
        RecordedEvent claim = events.stream().filter(e -> e.getEventType().getName().equals("dev.qorb.Claim"))
                .findFirst().orElseThrow();
        assertThat(claim.getString("pool")).isEqualTo("jfr");
        assertThat(claim.getString("backend")).isEqualTo("127.0.0.1:7001");
        assertThat(claim.getString("outcome")).isEqualTo("claimed");
        assertThat(Files.size(file)).isPositive();
    }

    /**
     * A recording with the JDK's default settings, as operators leave running in production,
     * must not record an event per claim: that made claim + release 20 times slower. It does
     * record a claim that waited.
     */
    @Test
    void theDefaultRecordingKeepsOnlyClaimsThatWaited(@TempDir Path dir) throws Exception {
        ScriptedConnector connector = new ScriptedConnector();
        Path file = dir.resolve("default.jfr");
        try (Recording recording = new Recording(Configuration.getConfiguration("default"))) {
            recording.start();
            try (Pool<Conn> pool = Pool.builder("quiet", connector).resolver(new MutableResolver().add(BACKEND))
                    .policy(Policy.builder().maxSlots(1).sparesWanted(1).build()).build()) {
                // Connected first: a claim that waits for the first connect is a slow claim too.
                await().until(() -> pool.stats().unclaimed() == 1);
                for (int i = 0; i < 1_000; i++) {
                    try (Handle<Conn> handle = pool.claim()) {
                        handle.get();
                    }
                }
                Handle<Conn> held = pool.claim();
                long queuedAt = System.nanoTime();
                CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> pool.claim().close());
                // Held until the second claim has waited past the Claim event's 10 ms threshold.
                await().until(() -> pool.stats().waiting() == 1 && System.nanoTime() - queuedAt > 30_000_000L);
                held.close();
                waited.get();
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("dev.qorb.")).toList();
        List<RecordedEvent> claims = events.stream().filter(e -> e.getEventType().getName().equals("dev.qorb.Claim"))
                .toList();
        assertThat(claims).singleElement()
                .satisfies(claim -> assertThat(claim.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(10)));
        assertThat(events).map(e -> e.getEventType().getName()).doesNotContain("dev.qorb.Release", "dev.qorb.Recycle");
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("dev.qorb.SlotStateChange"))
                .map(e -> e.getString("to")).doesNotContain("RECYCLING");
        assertThat(connector.onRecycleCalls.get()).isGreaterThanOrEqualTo(1_000);
    }

    @Test
    void aHandleHeldPastTheLeakThresholdIsLoggedOnceWithWhereItWasClaimed() {
        Logger logger = (Logger) LoggerFactory.getLogger(QorbPool.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (Pool<Conn> pool = Pool.builder("leaky", new ScriptedConnector())
                .resolver(new MutableResolver().add(BACKEND))
                .policy(Policy.builder().leakDetectionThreshold(Duration.ofMillis(50)).build()).build()) {
            Handle<Conn> leaked = pool.claim();
            try (Handle<Conn> returnedInTime = pool.claim()) {
                returnedInTime.get();
            }
            await().until(() -> leaks(appender).size() == 1);
            ILoggingEvent report = leaks(appender).get(0);
            assertThat(report.getLevel()).isEqualTo(Level.WARN);
            assertThat(report.getFormattedMessage()).isEqualTo("pool 'leaky': a handle for 127.0.0.1:7001 has been"
                    + " held for more than 50 ms; it leaks if it is never closed");
            assertThat(report.getThrowableProxy().getMessage()).isEqualTo(
                    "the handle was claimed from pool 'leaky' here");
            assertThat(report.getThrowableProxy().getStackTraceElementProxyArray())
                    .anySatisfy(frame -> assertThat(frame.getSTEAsString())
                            .contains("aHandleHeldPastTheLeakThresholdIsLoggedOnceWithWhereItWasClaimed"));
            // One timer per handle: still one report well after the threshold.
            await().during(Duration.ofMillis(200)).until(() -> leaks(appender).size() == 1);
            leaked.close();
        } finally {
            logger.detachAppender(appender);
        }
    }

    private static List<ILoggingEvent> leaks(ListAppender<ILoggingEvent> appender) {
        return appender.list.stream().filter(e -> e.getFormattedMessage().contains("held for more than")).toList();
    }
}
