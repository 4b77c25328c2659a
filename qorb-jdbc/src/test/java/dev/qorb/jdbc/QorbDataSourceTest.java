package dev.qorb.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.qorb.ClaimException;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.jdbc.testing.PostgresExtension;
import dev.qorb.jdbc.testing.PostgresServer;
import dev.qorb.resolver.FixedResolver;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.jdbc.PgConnection;

/**
 * The DataSource over one real PostgreSQL server and a pool of a single connection, so that
 * each claim gets the connection the previous one gave back: what a user leaves behind must
 * not reach the next user, and a connection used cleanly must go back without a round trip.
 */
class QorbDataSourceTest {

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension(1, "log_statement = 'all'");

    private Pool<Connection> pool;
    private QorbDataSource dataSource;

    @BeforeAll
    static void schema() throws SQLException {
        postgres.get(1).execute("CREATE TABLE items (id int); CREATE SCHEMA other");
    }

    @BeforeEach
    void onePooledConnection() {
        pool = Pool.builder("single", JdbcConnector.builder("jdbc:postgresql://{host}:{port}/postgres")
                        .username("postgres").build())
                .resolver(FixedResolver.of(dev.qorb.Backend.of(server().address().getAddress(), server().port())))
                .policy(Policy.builder().maxSlots(1).sparesWanted(1).build())
                .build();
        dataSource = new QorbDataSource(pool);
    }

    @AfterEach
    void closePool() throws InterruptedException {
        pool.close();
        assertThat(pool.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }

    private static PostgresServer server() {
        return postgres.get(1);
    }

    @Test
    void aTransactionLeftOpenIsRolledBackAndAutoCommitRestored() throws SQLException {
        int session;
        try (Connection connection = dataSource.getConnection()) {
            session = backendPid(connection);
            connection.setAutoCommit(false);
            connection.createStatement().executeUpdate("INSERT INTO items VALUES (1)");
        } // neither committed nor rolled back

        assertThat(server().queryLong("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'"))
                .isZero();
        try (Connection connection = dataSource.getConnection()) {
            assertThat(backendPid(connection)).as("the same pooled connection").isEqualTo(session);
            assertThat(connection.getAutoCommit()).isTrue();
            assertThat(count(connection, "SELECT count(*) FROM items")).isZero();
        }
    }

    @Test
    void aChangedIsolationLevelIsRestored() throws SQLException {
        int session;
        try (Connection connection = dataSource.getConnection()) {
            session = backendPid(connection);
            connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            assertThat(text(connection, "SHOW transaction_isolation")).isEqualTo("serializable");
        }
        try (Connection connection = dataSource.getConnection()) {
            assertThat(backendPid(connection)).isEqualTo(session);
            assertThat(text(connection, "SHOW transaction_isolation")).isEqualTo("read committed");
        }
    }

    @Test
    void readOnlySchemaAndNetworkTimeoutChangedByTheUserAreRestored() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            connection.setSchema("other");
            connection.setNetworkTimeout(Runnable::run, 1234);
            assertThat(text(connection, "SELECT current_schema()")).isEqualTo("other");
        }
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.isReadOnly()).isFalse();
            assertThat(text(connection, "SELECT current_schema()")).isEqualTo("public");
            assertThat(connection.getNetworkTimeout()).isZero();
        }
    }

    @Test
    void aConnectionUsedWithoutChangesGoesBackWithoutARoundTrip() throws SQLException {
        int session;
        try (Connection connection = dataSource.getConnection()) {
            session = backendPid(connection);
            text(connection, "SELECT 'marker-one'");
        }
        try (Connection connection = dataSource.getConnection()) {
            text(connection, "SELECT 'marker-two'");
        }

        // log_statement = 'all' logs every statement the server ran, with the session's pid.
        List<String> log = server().log().lines().toList();
        int first = indexOf(log, "marker-one");
        int second = indexOf(log, "marker-two");
        assertThat(first).as("%s", log).isNotNegative().isLessThan(second);
        assertThat(log.subList(first + 1, second)).as("what the server ran in between")
                .noneMatch(line -> line.contains("[" + session + "]"));
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void warningsLeftOnTheConnectionAreCleared() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            // PostgreSQL's driver moves the warnings of statements it runs itself (SET, COMMIT)
            // to the connection; added here directly, through the driver's public method.
            connection.unwrap(PgConnection.class).addWarning(new SQLWarning("left behind by the last user"));
            assertThat((Object) connection.getWarnings()).isNotNull();
        }
        try (Connection connection = dataSource.getConnection()) {
            assertThat((Object) connection.getWarnings()).isNull();
        }
    }

    @Test
    void statementsAndResultsLeftOpenAreClosed() throws SQLException {
        PreparedStatement statement;
        ResultSet result;
        Connection lent;
        try (Connection connection = dataSource.getConnection()) {
            lent = connection;
            statement = connection.prepareStatement("SELECT id FROM items");
            result = statement.executeQuery();
            assertThat(statement.getConnection()).as("the connection the user holds, not the driver's").isSameAs(lent);
        }
        assertThat(statement.isClosed()).isTrue();
        assertThat(result.isClosed()).isTrue();
        assertThatThrownBy(statement::executeQuery).isInstanceOf(SQLException.class);
        try (Connection connection = dataSource.getConnection()) {
            assertThat(count(connection, "SELECT count(*) FROM items")).isNotNegative();
        }
    }

    @Test
    void aConnectionClosedTwiceIsQuietAndUsedAfterCloseFailsClearly() throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.close();
        connection.close();

        assertThat(connection.isClosed()).isTrue();
        assertThat(connection.isValid(1)).isFalse();
        assertThatThrownBy(connection::createStatement)
                .isInstanceOf(SQLNonTransientConnectionException.class)
                .hasMessageContaining("pool 'single'")
                .hasMessageContaining("createStatement called on a connection that was closed")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08003");
        // The pooled connection itself is fine and lent again.
        try (Connection next = dataSource.getConnection()) {
            assertThat(next).isNotSameAs(connection);
            assertThat(next.isValid(1)).isTrue();
        }
    }

    @Test
    void unwrapReachesTheDriversConnection() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.isWrapperFor(PGConnection.class)).isTrue();
            assertThat(connection.unwrap(PGConnection.class)).isInstanceOf(PgConnection.class);
            assertThat(connection.unwrap(Connection.class)).isInstanceOf(PgConnection.class);
            assertThat(connection.createStatement().unwrap(org.postgresql.PGStatement.class)).isNotNull();
        }
        assertThat(dataSource.unwrap(Pool.class)).isSameAs(pool);
        assertThat(dataSource.isWrapperFor(Pool.class)).isTrue();
    }

    @Test
    void aConnectionWhoseSessionWasTerminatedIsReplacedNotLentAgain() throws Exception {
        PgConnection terminated;
        int session;
        try (Connection connection = dataSource.getConnection()) {
            terminated = connection.unwrap(PgConnection.class);
            session = backendPid(connection);
            assertThat(server().terminateClientSessions()).isEqualTo(1);
            assertThatThrownBy(() -> text(connection, "SELECT 1"))
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("57P01");
        }

        await().atMost(Duration.ofSeconds(10)).until(terminated::isClosed);
        try (Connection connection = dataSource.getConnection()) {
            assertThat(backendPid(connection)).isNotEqualTo(session);
        }
    }

    @Test
    void getConnectionWaitsAtMostTheLoginTimeout() throws SQLException {
        dataSource.setLoginTimeout(1);
        try (Connection held = dataSource.getConnection()) {
            long start = System.nanoTime();
            assertThatThrownBy(dataSource::getConnection)
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("single")
                    .hasCauseInstanceOf(ClaimException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
            // The pool's own claim timeout is 30 s; the login timeout of 1 s applies instead.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900),
                    Duration.ofSeconds(15));
        }
    }

    @Test
    void aPoolOfConnectionsNoJdbcConnectorOpenedIsRefused() throws Exception {
        try (Pool<Connection> plain = Pool.<Connection>builder("plain",
                        backend -> DriverManager.getConnection(server().url("postgres"), "postgres", ""))
                .resolver(FixedResolver.of(dev.qorb.Backend.of(server().address().getAddress(), server().port())))
                .build()) {
            assertThatThrownBy(() -> new QorbDataSource(plain).getConnection())
                    .isInstanceOf(SQLNonTransientConnectionException.class)
                    .hasMessageContaining("pool 'plain' lends connections that no JdbcConnector opened");
        }
    }

    static int backendPid(Connection connection) throws SQLException {
        return (int) count(connection, "SELECT pg_backend_pid()");
    }

    static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    static String text(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }
}
