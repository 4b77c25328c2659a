package dev.qorb.jdbc;

import dev.qorb.ClaimException;
import dev.qorb.Handle;
import dev.qorb.Pool;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} over a qorb pool whose connections a {@link JdbcConnector} opens: the
 * database servers it lends from are whatever the pool's resolver finds (a DNS SRV name, a
 * fixed list), with the pool's spreading, health checks and reconnects. What JdbcTemplate, JPA
 * and Flyway need.
 *
 * <pre>{@code
 * Policy policy = Policy.builder().maxSlots(24).build();
 * Pool<Connection> pool = Pool.builder("replicas", JdbcConnector.builder("jdbc:postgresql://{host}:{port}/orders")
 *                 .username("app").password(secret).readOnly(true).timeouts(policy.backend()).build())
 *         .resolver(ServiceAddresses.resolver("_postgresql._tcp.replicas.example"))
 *         .policy(policy)
 *         .build();
 * DataSource replicas = new QorbDataSource(pool);
 * }</pre>
 *
 * <p>{@link #getConnection()} claims a connection and returns it wrapped: its {@code close()}
 * resets it in the closing thread, as HikariCP does (see {@link JdbcConnector}), and gives it
 * back; when the driver reported that the
 * connection is broken (an SQL state of class {@code 08}, a terminated session, and the other
 * errors HikariCP evicts on) it is closed and replaced instead. {@code unwrap} reaches the
 * driver's connection. Closing twice is quiet; any other use after close throws an
 * {@link SQLException} with state {@code 08003}.
 *
 * <p>The DataSource does not own the pool: close the pool when done.
 *
 * <p>Thread-safety: every method may be called from any thread, concurrently.
 */
public final class QorbDataSource implements DataSource {

    private final Pool<Connection> pool;
    private volatile int loginTimeoutSeconds;
    private volatile PrintWriter logWriter;

    /** @param pool a pool whose connector is a {@link JdbcConnector} */
    public QorbDataSource(Pool<Connection> pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** The pool the connections come from. */
    public Pool<Connection> pool() {
        return pool;
    }

    /**
     * Claims a connection, waiting up to the login timeout if one is set, else the pool's claim
     * timeout.
     *
     * @throws SQLTransientConnectionException (SQL state {@code 08001}) when none could be had
     *     in time; its cause, a {@link ClaimException}, says why
     * @throws SQLNonTransientConnectionException (SQL state {@code 08003}) when the pool is closed
     */
    @Override
    public Connection getConnection() throws SQLException {
        int timeout = loginTimeoutSeconds;
        Handle<Connection> handle;
        try {
            handle = timeout > 0 ? pool.claim(Duration.ofSeconds(timeout)) : pool.claim();
        } catch (ClaimException e) {
            throw e.kind() == ClaimException.Kind.POOL_CLOSED
                    ? new SQLNonTransientConnectionException(e.getMessage(), "08003", e)
                    : new SQLTransientConnectionException(e.getMessage(), "08001", e);
        }
        TrackedConnection connection = TrackedConnection.of(handle.get());
        if (connection == null) {
            handle.close();
            throw new SQLNonTransientConnectionException("pool '" + pool.name()
                    + "' lends connections that no JdbcConnector opened; build it with"
                    + " Pool.builder(name, JdbcConnector.builder(urlTemplate)...build())", "08001");
        }
        return new LentConnection(pool.name(), connection, handle).proxy;
    }

    /**
     * Not supported: the pool's {@link JdbcConnector} holds the credentials.
     *
     * @throws SQLFeatureNotSupportedException always
     */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("pool '" + pool.name()
                + "': connections are opened with the credentials of its JdbcConnector; call getConnection()");
    }

    /** Not used: qorb logs through SLF4J. */
    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    /** Kept for {@link #getLogWriter()} only: qorb logs through SLF4J. */
    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /**
     * How long {@link #getConnection()} waits for a connection, in seconds; 0 (the default)
     * for the pool's claim timeout.
     */
    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        if (seconds < 0) {
            throw new SQLException("the login timeout must not be negative but was " + seconds);
        }
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    /** @throws SQLFeatureNotSupportedException always: qorb logs through SLF4J */
    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("qorb logs through SLF4J, not java.util.logging");
    }

    /** This DataSource, or its {@link Pool}. */
    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        if (type.isInstance(pool)) {
            return type.cast(pool);
        }
        throw new SQLException("QorbDataSource of pool '" + pool.name() + "' does not wrap a " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this) || type.isInstance(pool);
    }

    @Override
    public String toString() {
        return "QorbDataSource[" + pool.name() + "]";
    }
}
