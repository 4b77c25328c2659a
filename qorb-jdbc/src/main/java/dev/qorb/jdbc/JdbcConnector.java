package dev.qorb.jdbc;

import dev.qorb.Backend;
import dev.qorb.BackendPolicy;
import dev.qorb.connector.Connector;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Opens JDBC connections to each backend, with any JDBC driver: the backend's address goes
 * into a URL template such as {@code jdbc:postgresql://{host}:{port}/orders}.
 *
 * <ul>
 * <li><b>connect</b>: the driver found for the URL connects with the user, password and driver
 * properties given. For PostgreSQL the pool's {@code connectTimeout} becomes the driver's
 * {@code connectTimeout} and {@code loginTimeout} (unless set), so that the driver gives up on
 * its own; for other drivers set their timeout properties. With {@link Builder#readOnly}, each
 * connection is set read-only.
 * <li><b>isValid</b> (health checks): {@link Connection#isValid}, with the driver's network
 * timeout lowered to the check timeout while it runs. A connection on which the driver
 * reported a fatal error is invalid without asking the server.
 * <li><b>onRecycle</b> (a connection given back): statements left open are closed, a
 * transaction left open is rolled back, and auto-commit, read-only, isolation, catalog,
 * schema and network timeout are restored, each only if the user changed it; warnings are
 * cleared. A connection used without changing anything costs no round trip. A connection
 * with a fatal error is closed and replaced. ({@link QorbDataSource} does this reset already
 * when its connection is closed, in the closing thread; here it then finds nothing to do.)
 * </ul>
 *
 * <p>The pool's connections are the driver's behind a tracking proxy: {@code unwrap} reaches
 * the driver's. {@link QorbDataSource} is the usual way to use them.
 *
 * <p>Thread-safety: immutable; the pool calls it from several threads.
 */
public final class JdbcConnector implements Connector<Connection> {

    private final UrlTemplate url;
    private final Driver driver;
    private final Properties properties;
    private final String username;
    private final boolean readOnly;
    private final int checkTimeoutMillis;
    private final int checkTimeoutSeconds;

    private JdbcConnector(Builder builder, UrlTemplate url, Driver driver) {
        this.url = url;
        this.driver = driver;
        this.username = builder.username;
        this.readOnly = builder.readOnly;
        this.checkTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, builder.checkTimeout.toMillis());
        this.checkTimeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, builder.checkTimeout.toSeconds()));
        Properties connect = new Properties();
        connect.putAll(builder.properties);
        if (builder.username != null) {
            connect.setProperty("user", builder.username);
        }
        if (builder.password != null) {
            connect.setProperty("password", builder.password);
        }
        if (url.subprotocol().equals("postgresql")) {
            String seconds = Long.toString(Math.max(1, builder.connectTimeout.toSeconds()));
            connect.putIfAbsent("connectTimeout", seconds);
            connect.putIfAbsent("loginTimeout", seconds);
        }
        this.properties = connect;
    }

    /**
     * Starts building a connector for the URL template {@code urlTemplate}, which must hold
     * {@code {host}} and {@code {port}}.
     */
    public static Builder builder(String urlTemplate) {
        return new Builder(urlTemplate);
    }

    @Override
    public Connection connect(Backend backend) throws SQLException {
        String address = url.expand(backend.address());
        // A copy per call: drivers may keep or change what they are given.
        Connection connection = driver.connect(address, (Properties) properties.clone());
        if (connection == null) {
            throw new SQLNonTransientConnectionException(driver.getClass().getName() + " refused the URL " + address,
                    "08001");
        }
        try {
            if (readOnly) {
                connection.setReadOnly(true);
            }
            return TrackedConnection.wrap(connection, readOnly, checkTimeoutMillis);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    @Override
    public boolean isValid(Connection connection) throws SQLException {
        return tracked(connection).isValid(checkTimeoutSeconds);
    }

    @Override
    public boolean onRecycle(Connection connection) {
        return tracked(connection).reset();
    }

    @Override
    public void close(Connection connection) throws SQLException {
        tracked(connection).driver.close();
    }

    private static TrackedConnection tracked(Connection connection) {
        TrackedConnection tracked = TrackedConnection.of(connection);
        if (tracked == null) {
            throw new IllegalArgumentException("not a connection this JdbcConnector opened: " + connection);
        }
        return tracked;
    }

    /** The URL template, the user and the driver; never the password or property values. */
    @Override
    public String toString() {
        return "JdbcConnector[" + url + (username != null ? ", user " + username : "") + ", "
                + driver.getClass().getName() + (readOnly ? ", read-only" : "") + "]";
    }

    /** Builds a {@link JdbcConnector}; {@link #build()} checks the template and finds the driver. */
    public static final class Builder {
        private final String urlTemplate;
        private String username;
        private String password;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private boolean readOnly;
        private Duration connectTimeout = BackendPolicy.defaults().connectTimeout();
        private Duration checkTimeout = BackendPolicy.defaults().healthCheckTimeout();

        private Builder(String urlTemplate) {
            this.urlTemplate = urlTemplate;
        }

        /** The database user; {@code null} for none (the driver's default or one in the URL). */
        public Builder username(String username) {
            this.username = username;
            return this;
        }

        /** The database user's password; {@code null} for none. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** A driver property, such as PostgreSQL's {@code socketTimeout} or {@code sslmode}. */
        public Builder property(String name, String value) {
            Objects.requireNonNull(name, "property name");
            Objects.requireNonNull(value, () -> "the value of driver property " + name);
            properties.put(name, value);
            return this;
        }

        /** Driver properties; see {@link #property}. */
        public Builder properties(Map<String, String> properties) {
            properties.forEach(this::property);
            return this;
        }

        /**
         * Whether every connection is set read-only (default {@code false}): a hint to the driver
         * and the server, and the value each connection is reset to. For a pool of replicas.
         */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * Takes the timeouts from the pool's policy (use the same one): its {@code connectTimeout}
         * for the driver's connect, its {@code healthCheckTimeout} for checks and resets. Without
         * this call qorb's defaults apply (10 s and 3 s).
         */
        public Builder timeouts(BackendPolicy policy) {
            this.connectTimeout = policy.connectTimeout();
            this.checkTimeout = policy.healthCheckTimeout();
            return this;
        }

        /**
         * @throws IllegalArgumentException when the template is not a JDBC URL with {@code {host}}
         *     and {@code {port}}, when no JDBC driver on the classpath is meant for it, or when the
         *     driver meant for it rejects it; the message says which, and what to do
         */
        public JdbcConnector build() {
            UrlTemplate url = new UrlTemplate(urlTemplate);
            return new JdbcConnector(this, url, driverFor(url));
        }
    }

    /** The registered driver that accepts the template with a sample address in it. */
    private static Driver driverFor(UrlTemplate url) {
        String sample = url.expand(UrlTemplate.SAMPLE);
        try {
            return DriverManager.getDriver(sample);
        } catch (SQLException none) {
            String subprotocol = url.subprotocol();
            List<String> drivers = DriverManager.drivers().map(d -> d.getClass().getName()).toList();
            // Drivers are named after the database they serve: org.postgresql.Driver, com.mysql.cj.jdbc.Driver, org.h2.Driver.
            List<String> meant = drivers.stream()
                    .filter(name -> name.toLowerCase(Locale.ROOT).contains(subprotocol.toLowerCase(Locale.ROOT)))
                    .toList();
            if (!meant.isEmpty()) {
                throw new IllegalArgumentException("the URL template '" + url + "' is not a URL that " + meant.get(0)
                        + " accepts (tried with 127.0.0.1 and 5432 in it: " + sample
                        + "); check it against the driver's documentation", none);
            }
            throw new IllegalArgumentException("no JDBC driver for '" + subprotocol + "' URLs such as '" + url
                    + "' is on the classpath (drivers found: " + (drivers.isEmpty() ? "none" : drivers)
                    + "); add the driver's jar" + ("postgresql".equals(subprotocol) ? ", org.postgresql:postgresql" : ""),
                    none);
        }
    }
}
