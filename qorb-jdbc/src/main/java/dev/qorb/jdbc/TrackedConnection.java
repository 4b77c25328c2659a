package dev.qorb.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's connection: the driver's connection behind a proxy that sees what its user changes
 * (the {@link SessionSettings}), which statements are open, whether a transaction may be open,
 * and whether the driver reported a fatal error; so that {@link #reset()} undoes only what the
 * user did, and a connection used without changing anything goes back with no round trip.
 *
 * <p>Thread-safety: used by one thread at a time, as JDBC connections are: its claimer while
 * lent, the pool's hooks otherwise; the pool's hand-offs order them. Only {@code broken} is
 * volatile, since a statement cancelled from another thread may report a fatal error there.
 */
final class TrackedConnection implements InvocationHandler {

    private static final Logger log = LoggerFactory.getLogger(TrackedConnection.class);

    final Connection driver;
    final Connection proxy;
    private final int checkTimeoutMillis;
    private final SessionSettings settings;
    /** A statement ran with auto-commit off since the last commit or rollback. */
    private boolean transactionMayBeOpen;
    /**
     * Something talked to the driver since the last reset, so that it may hold warnings. A
     * connection claimed and given back untouched then costs no driver call at all (PostgreSQL's
     * {@code clearWarnings} takes a lock and checks the socket twice).
     */
    private boolean used;
    private final List<TrackedStatement> openStatements = new ArrayList<>();
    private boolean networkTimeoutSupported = true;
    /** Set by whichever thread sees a fatal error; never cleared. */
    private volatile boolean broken;

    private TrackedConnection(Connection driver, boolean readOnly, int checkTimeoutMillis) throws SQLException {
        this.driver = driver;
        this.checkTimeoutMillis = checkTimeoutMillis;
        this.settings = new SessionSettings(driver, readOnly);
        this.proxy = Proxies.connection(this);
    }

    /**
     * Tracks {@code driver}, whose read-only mode the connector has set to {@code readOnly}.
     *
     * @param checkTimeoutMillis bound on the network reads of checks and resets
     */
    static Connection wrap(Connection driver, boolean readOnly, int checkTimeoutMillis) throws SQLException {
        return new TrackedConnection(driver, readOnly, checkTimeoutMillis).proxy;
    }

    /** The tracking behind a connection {@link #wrap} made, or {@code null} for any other connection. */
    static TrackedConnection of(Connection connection) {
        return Proxies.handlerOf(connection) instanceof TrackedConnection tracked ? tracked : null;
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        return call(proxy, method, args);
    }

    /**
     * Runs a {@link Connection} method for a caller who holds the connection as {@code face}:
     * this connection's own proxy, or the one a {@link QorbDataSource} lent.
     */
    Object call(Connection face, Method method, Object[] args) throws Throwable {
        used = true;
        try {
            return dispatch(face, method, args);
        } catch (InvocationTargetException e) {
            throw failed(e.getCause());
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private Object dispatch(Connection face, Method method, Object[] args) throws Exception {
        String name = method.getName();
        SessionSettings.Setting setting = SessionSettings.Setting.setBy(name);
        if (setting != null) {
            settings.beforeChange(setting);
            method.invoke(driver, args);
            settings.changed(setting, args[args.length - 1]);
            if (setting == SessionSettings.Setting.AUTO_COMMIT && (Boolean) args[0]) {
                // JDBC: switching auto-commit on commits the open transaction.
                transactionMayBeOpen = false;
            }
            return null;
        }
        switch (name) {
            case "commit" -> {
                driver.commit();
                transactionMayBeOpen = false;
                return null;
            }
            case "rollback" -> {
                if (args == null) { // rollback(Savepoint) leaves the transaction open
                    driver.rollback();
                    transactionMayBeOpen = false;
                    return null;
                }
            }
            case "setSavepoint" -> statementRuns();
            case "createStatement", "prepareStatement", "prepareCall" -> {
                Statement statement = (Statement) method.invoke(driver, args);
                TrackedStatement tracked = new TrackedStatement(this, face, statement, true);
                openStatements.add(tracked);
                return Proxies.create(method.getReturnType(), tracked);
            }
            case "getMetaData" -> {
                return Proxies.create(method.getReturnType(), new TrackedStatement(this, face, driver.getMetaData(), false));
            }
            default -> {
                if (Proxies.answersAlike(method)) {
                    return Proxies.answer(face, method, args, driver);
                }
            }
        }
        return method.invoke(driver, args);
    }

    /** A statement runs: with auto-commit off, it may open a transaction. */
    void statementRuns() {
        if (!settings.autoCommit()) {
            transactionMayBeOpen = true;
        }
    }

    void statementClosed(TrackedStatement statement) {
        // From the end: statements are most often closed in the reverse order of their creation.
        for (int i = openStatements.size() - 1; i >= 0; i--) {
            if (openStatements.get(i) == statement) {
                openStatements.remove(i);
                return;
            }
        }
    }

    /** Notes a fatal error, so that the connection is not lent again; returns {@code error}. */
    Throwable failed(Throwable error) {
        if (error instanceof SQLException sql && FatalErrors.isFatal(sql)) {
            broken = true;
        }
        return error;
    }

    /** Whether the driver reported a fatal error on it, or it failed a check or reset. */
    boolean broken() {
        return broken;
    }

    void markBroken() {
        broken = true;
    }

    /**
     * Makes the connection as the next claimer should find it: statements left open closed, a
     * transaction left open rolled back, changed settings restored, warnings cleared. Round
     * trips, if any, are bounded by the check timeout.
     *
     * @return whether the connection may be lent again: {@code false} when it is broken or
     *     closed, or the reset failed
     */
    boolean reset() {
        if (broken) {
            return false;
        }
        try {
            closeStatements();
            // Set first: the bounded block below lowers and then restores the network timeout.
            settings.restore(SessionSettings.Setting.NETWORK_TIMEOUT);
            if (transactionMayBeOpen && !settings.autoCommit() || settings.needRoundTrips()) {
                withCheckTimeout(this::rollbackAndRestore);
            }
            if (used) {
                // Throws on a closed connection (JDBC says so): no separate isClosed() needed.
                driver.clearWarnings();
                used = false;
            }
            return !broken;
        } catch (SQLException | RuntimeException e) {
            broken = true;
            if (e instanceof SQLException sql && FatalErrors.isFatal(sql)) {
                log.debug("resetting {} found it broken: {}", driver, e.toString());
            } else {
                log.warn("resetting {} for its next use failed; it is closed instead: {}", driver, e.toString());
            }
            return false;
        }
    }

    private void closeStatements() throws SQLException {
        SQLException first = null;
        for (int i = openStatements.size() - 1; i >= 0; i--) {
            try {
                openStatements.get(i).closeDriver();
            } catch (SQLException e) {
                failed(e);
                first = first == null ? e : first;
            }
        }
        openStatements.clear();
        if (first != null) {
            throw first;
        }
    }

    private void rollbackAndRestore() throws SQLException {
        if (transactionMayBeOpen && !settings.autoCommit()) {
            driver.rollback();
            log.debug("rolled back a transaction left open on {}", driver);
        }
        transactionMayBeOpen = false;
        settings.restoreAllButNetworkTimeout();
    }

    /** {@link Connection#isValid}, bounded by the check timeout, for a connection not known to be broken. */
    boolean isValid(int timeoutSeconds) throws SQLException {
        if (broken) {
            return false;
        }
        used = true;
        boolean[] valid = new boolean[1];
        withCheckTimeout(() -> valid[0] = driver.isValid(timeoutSeconds));
        if (!valid[0]) {
            broken = true;
        }
        return valid[0];
    }

    /**
     * Runs {@code work} with the driver's network timeout lowered to the check timeout, so that
     * a server that stopped answering cannot hold the calling thread longer.
     */
    private void withCheckTimeout(SqlWork work) throws SQLException {
        int saved = 0;
        if (networkTimeoutSupported) {
            try {
                saved = driver.getNetworkTimeout();
            } catch (SQLFeatureNotSupportedException e) {
                networkTimeoutSupported = false;
            }
        }
        boolean lower = networkTimeoutSupported && (saved == 0 || saved > checkTimeoutMillis);
        if (lower) {
            driver.setNetworkTimeout(SessionSettings.IN_PLACE, checkTimeoutMillis);
        }
        try {
            work.run();
        } finally {
            if (lower && !driver.isClosed()) {
                driver.setNetworkTimeout(SessionSettings.IN_PLACE, saved);
            }
        }
    }

    /** Whether the driver's connection is closed; a failing check counts as closed. */
    boolean driverClosed() {
        try {
            return driver.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    @FunctionalInterface
    private interface SqlWork {
        void run() throws SQLException;
    }
}
