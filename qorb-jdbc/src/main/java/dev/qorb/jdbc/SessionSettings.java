package dev.qorb.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The session settings JDBC lets a user change on a connection, tracked as HikariCP does: each
 * setter the user calls is noted, so that only the settings changed and not set back are
 * restored, and a connection nobody changed is restored without a word to the server.
 *
 * <p>The value a setting is restored to is the connection's own: what auto-commit and read-only
 * were right after connecting, and, for the others, what the driver reported just before the
 * user first changed them (read then, so that connections nobody changes cost no extra round
 * trip). Changes made with SQL ({@code SET search_path ...}) are not seen.
 *
 * <p>Thread-safety: as its connection's.
 */
final class SessionSettings {

    /** Drivers that take an executor for {@code setNetworkTimeout} get one that runs in place. */
    static final Executor IN_PLACE = Runnable::run;

    /** A setting, in the order of restoring: auto-commit first, since the others cannot change inside a transaction. */
    enum Setting {
        AUTO_COMMIT("setAutoCommit", Connection::getAutoCommit, (c, v) -> c.setAutoCommit((Boolean) v)),
        READ_ONLY("setReadOnly", Connection::isReadOnly, (c, v) -> c.setReadOnly((Boolean) v)),
        ISOLATION("setTransactionIsolation", Connection::getTransactionIsolation,
                (c, v) -> c.setTransactionIsolation((Integer) v)),
        CATALOG("setCatalog", Connection::getCatalog, (c, v) -> c.setCatalog((String) v)),
        SCHEMA("setSchema", Connection::getSchema, (c, v) -> c.setSchema((String) v)),
        NETWORK_TIMEOUT("setNetworkTimeout", Connection::getNetworkTimeout,
                (c, v) -> c.setNetworkTimeout(IN_PLACE, (Integer) v));

        private final String setter;
        private final Reader reader;
        private final Writer writer;

        Setting(String setter, Reader reader, Writer writer) {
            this.setter = setter;
            this.reader = reader;
            this.writer = writer;
        }

        private int bit() {
            return 1 << ordinal();
        }

        /** The setting that {@code method} of {@link Connection} sets, or {@code null}. */
        static Setting setBy(String method) {
            for (Setting setting : VALUES) {
                if (setting.setter.equals(method)) {
                    return setting;
                }
            }
            return null;
        }
    }

    private interface Reader {
        Object read(Connection connection) throws SQLException;
    }

    private interface Writer {
        void write(Connection connection, Object value) throws SQLException;
    }

    private static final Setting[] VALUES = Setting.values();

    private final Connection driver;
    /** Which defaults are known. */
    private int captured;
    private final Object[] defaults = new Object[VALUES.length];
    /** The settings as last set; meaningful where {@code changed} has their bit, and always for auto-commit. */
    private final Object[] current = new Object[VALUES.length];
    /** Settings set since the last restore. */
    private int changed;

    /** @param readOnly what the connector set read-only to */
    SessionSettings(Connection driver, boolean readOnly) throws SQLException {
        this.driver = driver;
        capture(Setting.AUTO_COMMIT, driver.getAutoCommit());
        capture(Setting.READ_ONLY, readOnly);
    }

    private void capture(Setting setting, Object value) {
        defaults[setting.ordinal()] = value;
        current[setting.ordinal()] = value;
        captured |= setting.bit();
    }

    /** Before the user sets {@code setting}: reads its default, if this is the first change. */
    void beforeChange(Setting setting) throws SQLException {
        if ((captured & setting.bit()) == 0) {
            capture(setting, setting.reader.read(driver));
        }
    }

    /** After the user set {@code setting} to {@code value}. */
    void changed(Setting setting, Object value) {
        current[setting.ordinal()] = value;
        changed |= setting.bit();
    }

    boolean autoCommit() {
        return (Boolean) current[Setting.AUTO_COMMIT.ordinal()];
    }

    /** Whether restoring needs more than the network timeout, which is set without a round trip. */
    boolean needRoundTrips() {
        return (changed & ~Setting.NETWORK_TIMEOUT.bit()) != 0;
    }

    /** Sets {@code setting} back to its default if the user changed it. */
    void restore(Setting setting) throws SQLException {
        int i = setting.ordinal();
        if ((changed & setting.bit()) != 0 && !Objects.equals(current[i], defaults[i])) {
            setting.writer.write(driver, defaults[i]);
            current[i] = defaults[i];
        }
        changed &= ~setting.bit();
    }

    /** Sets every changed setting but the network timeout back. */
    void restoreAllButNetworkTimeout() throws SQLException {
        for (Setting setting : VALUES) {
            if (setting != Setting.NETWORK_TIMEOUT) {
                restore(setting);
            }
        }
    }
}
