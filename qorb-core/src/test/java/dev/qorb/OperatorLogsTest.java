package dev.qorb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.qorb.connector.Connector;
import dev.qorb.pool.QorbPool;
import dev.qorb.testing.MutableResolver;
import dev.qorb.testing.ScriptedConnector;
import dev.qorb.testing.ScriptedConnector.Conn;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the pool logs for an operator: drains as drains, and no secrets from connectors. */
class OperatorLogsTest {

    private static final Backend BACKEND = Backend.of("127.0.0.1", 7001);

    private final Logger logger = (Logger) LoggerFactory.getLogger(QorbPool.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    @Test
    void anOperatorsDrainIsLoggedAtInfoAsADrainNotAsABackendGoingOffline() {
        try (Pool<Conn> pool = Pool.builder("drained", new ScriptedConnector())
                .resolver(new MutableResolver().add(BACKEND)).build()) {
            await().until(() -> pool.stats().backendsOnline() == 1);
            assertThat(pool.drain(BACKEND.toString())).isTrue();
            await().until(() -> lines().stream().anyMatch(e -> e.getFormattedMessage().contains("is drained")));
            assertThat(lines()).filteredOn(e -> e.getFormattedMessage().contains("is drained"))
                    .singleElement().satisfies(e -> assertThat(e.getLevel()).isEqualTo(Level.INFO));
            assertThat(lines()).noneMatch(e -> e.getLevel() == Level.WARN);
        }
    }

    @Test
    void aConnectorsErrorMessageIsMaskedInTheWarningAndInTheStats() {
        AtomicBoolean failing = new AtomicBoolean();
        Connector<Conn> connector = new Connector<>() {
            private final ScriptedConnector connections = new ScriptedConnector();

            @Override
            public Conn connect(Backend backend) throws Exception {
                return connections.connect(backend);
            }

            @Override
            public boolean isValid(Conn connection) throws SQLException {
                if (failing.get()) {
                    throw new SQLException("lost jdbc:postgresql://db/app?user=app&password=hunter2");
                }
                return true;
            }
        };
        try (Pool<Conn> pool = Pool.builder("masked", connector).resolver(new MutableResolver().add(BACKEND))
                .policy(Policy.builder().maxSlots(1).sparesWanted(1)
                        .backend(b -> b.healthInterval(Duration.ofMillis(20))).build()).build()) {
            await().until(() -> pool.stats().backendsOnline() == 1);
            failing.set(true);
            await().until(() -> lines().stream().anyMatch(e -> e.getLevel() == Level.WARN));
            assertThat(lines()).filteredOn(e -> e.getLevel() == Level.WARN).first().satisfies(e -> assertThat(
                    e.getFormattedMessage()).isEqualTo("pool 'masked': backend 127.0.0.1:7001 is offline: SQLException:"
                            + " lost jdbc:postgresql://db/app?user=app&password=******"));
            assertThat(pool.stats().backends().get(BACKEND.toString()).lastError()).contains(
                    "SQLException: lost jdbc:postgresql://db/app?user=app&password=******");
        }
    }

    private List<ILoggingEvent> lines() {
        return List.copyOf(appender.list);
    }
}
