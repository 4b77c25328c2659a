package dev.qorb.jdbc;

import static dev.qorb.jdbc.QorbDataSourceTest.count;
import static dev.qorb.jdbc.QorbDataSourceTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.qorb.Backend;
import dev.qorb.BackendPolicy;
import dev.qorb.Handle;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.jdbc.testing.PostgresExtension;
import dev.qorb.jdbc.testing.PostgresServer;
import dev.qorb.resolver.FixedResolver;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcConnectorTest {

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension(1);

    private static final String TEMPLATE = "jdbc:postgresql://{host}:{port}/postgres";

    private static Backend backend() {
        PostgresServer server = postgres.get(1);
        return Backend.of(server.address().getAddress(), server.port());
    }

    @Test
    void aUrlNoDriverOnTheClasspathIsForIsRefused() {
        assertThatThrownBy(() -> JdbcConnector.builder("jdbc:nosuchdb://{host}:{port}/orders").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no JDBC driver for 'nosuchdb' URLs such as 'jdbc:nosuchdb://{host}:{port}/orders'")
                .hasMessageContaining("org.postgresql.Driver")
                .hasMessageContaining("add the driver's jar");
    }

    @Test
    void aUrlTheDriverRejectsIsRefused() {
        assertThatThrownBy(() -> JdbcConnector.builder("jdbc:postgresql://{host}:{port}x/orders").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a URL that org.postgresql.Driver accepts")
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:5432x/orders");
    }

    @Test
    void credentialsPropertiesAndReadOnlyReachTheServer() throws Exception {
        JdbcConnector connector = JdbcConnector.builder(TEMPLATE).username("postgres").password("secret")
                .properties(Map.of("ApplicationName", "qorb-test")).readOnly(true).build();
        Connection connection = connector.connect(backend());
        try {
            assertThat(text(connection, "SELECT current_user")).isEqualTo("postgres");
            assertThat(text(connection, "SELECT current_setting('application_name')")).isEqualTo("qorb-test");
            assertThat(connection.isReadOnly()).isTrue();
            assertThat(connector.isValid(connection)).isTrue();
        } finally {
            connector.close(connection);
        }
        assertThat(connection.isClosed()).isTrue();
        assertThat(connector.toString()).contains("jdbc:postgresql://{host}:{port}/postgres", "user postgres",
                "read-only").doesNotContain("secret");
    }

    @Test
    void aConnectionWhoseSessionIsGoneIsInvalid() throws Exception {
        JdbcConnector connector = JdbcConnector.builder(TEMPLATE).username("postgres").build();
        Connection connection = connector.connect(backend());
        try {
            postgres.get(1).terminateClientSessions();
            assertThat(connector.isValid(connection)).isFalse();
            assertThat(connector.onRecycle(connection)).isFalse();
        } finally {
            connector.close(connection);
        }
    }

    @Test
    void theDriverGivesUpConnectingAfterThePoolsConnectTimeout() throws Exception {
        // Accepts TCP connections (the kernel does, from the backlog) and never answers the startup message.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            JdbcConnector connector = JdbcConnector.builder(TEMPLATE).username("postgres")
                    .timeouts(BackendPolicy.builder().connectTimeout(Duration.ofSeconds(1)).build()).build();
            SQLException failure = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                try {
                    connector.connect(Backend.of(InetAddress.getLoopbackAddress(), silent.getLocalPort())).close();
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            assertThat((Throwable) failure).as("the driver's own timeout").isNotNull().hasMessageContaining("timed out");
        }
    }

    @Test
    void aConnectionGivenBackThroughAPlainHandleIsResetToo() throws Exception {
        postgres.get(1).execute("CREATE TABLE IF NOT EXISTS handle_items (id int)");
        try (Pool<Connection> pool = Pool.builder("plain-handles", JdbcConnector.builder(TEMPLATE)
                        .username("postgres").build())
                .resolver(FixedResolver.of(backend()))
                .policy(Policy.builder().maxSlots(1).sparesWanted(1).build())
                .build()) {
            try (Handle<Connection> handle = pool.claim()) {
                Connection connection = handle.get();
                connection.setAutoCommit(false);
                connection.createStatement().executeUpdate("INSERT INTO handle_items VALUES (1)");
            }
            try (Handle<Connection> handle = pool.claim()) {
                assertThat(handle.get().getAutoCommit()).isTrue();
                assertThat(count(handle.get(), "SELECT count(*) FROM handle_items")).isZero();
            }
        }
    }
}
