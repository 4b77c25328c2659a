package dev.qorb.dns;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An outage's log, on a clock the test moves: one WARN at the start, a summary a minute, one INFO at the end. */
class OutageLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.qorb.dns.OutageLogTest");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final OutageLog outage = new OutageLog(logger, "DnsResolver[SRV _pg._tcp.db.example. (BOTH)]: lookups");

    OutageLogTest() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
    }

    @Test
    void aThreeMinuteOutageRetriedEveryTenSecondsLogsThreeWarningsAndOneInfo() {
        for (int second = 0; second <= 180; second += 10) {
            outage.failed(TimeUnit.SECONDS.toNanos(second), "SERVFAIL from 127.0.0.1:53 for _pg._tcp.db.example. SRV",
                    "keeping 3 known backends, retrying every 10 s");
        }
        outage.succeeded(TimeUnit.SECONDS.toNanos(185));

        assertThat(lines(Level.WARN)).containsExactly(
                "DnsResolver[SRV _pg._tcp.db.example. (BOTH)]: lookups failed; keeping 3 known backends, retrying"
                        + " every 10 s: SERVFAIL from 127.0.0.1:53 for _pg._tcp.db.example. SRV",
                "DnsResolver[SRV _pg._tcp.db.example. (BOTH)]: lookups still failing after 60 s (attempts: 7); keeping"
                        + " 3 known backends, retrying every 10 s: SERVFAIL from 127.0.0.1:53 for _pg._tcp.db.example. SRV",
                "DnsResolver[SRV _pg._tcp.db.example. (BOTH)]: lookups still failing after 120 s (attempts: 13); keeping"
                        + " 3 known backends, retrying every 10 s: SERVFAIL from 127.0.0.1:53 for _pg._tcp.db.example. SRV",
                "DnsResolver[SRV _pg._tcp.db.example. (BOTH)]: lookups still failing after 180 s (attempts: 19); keeping"
                        + " 3 known backends, retrying every 10 s: SERVFAIL from 127.0.0.1:53 for _pg._tcp.db.example. SRV");
        assertThat(lines(Level.DEBUG)).hasSize(15);
        assertThat(lines(Level.INFO)).containsExactly(
                "DnsResolver[SRV _pg._tcp.db.example. (BOTH)]: lookups work again after 185 s (failed attempts: 19)");
    }

    @Test
    void aNewOutageStartsAfreshAndSuccessWithoutAnOutageIsQuiet() {
        outage.succeeded(0);
        outage.failed(TimeUnit.SECONDS.toNanos(1), "timeout", "retrying");
        outage.succeeded(TimeUnit.SECONDS.toNanos(2));
        outage.failed(TimeUnit.SECONDS.toNanos(3), "timeout", "retrying");
        outage.succeeded(TimeUnit.SECONDS.toNanos(4));

        assertThat(lines(Level.WARN)).hasSize(2);
        assertThat(lines(Level.INFO)).containsExactly(
                "DnsResolver[SRV _pg._tcp.db.example. (BOTH)]: lookups work again after 1 s (failed attempts: 1)",
                "DnsResolver[SRV _pg._tcp.db.example. (BOTH)]: lookups work again after 1 s (failed attempts: 1)");
    }

    private List<String> lines(Level level) {
        return appender.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }
}
