package dev.qorb.jdbc;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Set;

/**
 * Which errors mean the connection itself is broken, so that it is closed instead of lent
 * again: HikariCP's eviction rule, which years of production use have tuned. SQL states of
 * class {@code 08} (connection exceptions), a timeout the driver gave up on, and the states and
 * vendor codes that drivers use for a server that shut down or dropped the session.
 */
final class FatalErrors {

    private static final Set<String> STATES = Set.of(
            "0A000", // feature not supported: PostgreSQL's "cached plan must not change result type"
            "57P01", // admin shutdown: the session was terminated (pg_terminate_backend, a fast stop)
            "57P02", // crash shutdown
            "57P03", // cannot connect now: the server is starting or stopping
            "01002", // SQL-92 disconnect error
            "JZ0C0", // Sybase: connection closed
            "JZ0C1"); // Sybase: connection closed
    private static final Set<Integer> VENDOR_CODES = Set.of(
            500150, // Redshift/Sybase: connection closed
            2399); // Sybase: connection closed
    /** Bounds the walk through chained exceptions, which a driver could make circular. */
    private static final int MAX_DEPTH = 10;

    private FatalErrors() {
    }

    /** Whether {@code error}, or an exception chained to it, says the connection is broken. */
    static boolean isFatal(SQLException error) {
        SQLException next = error;
        for (int depth = 0; next != null && depth < MAX_DEPTH; depth++) {
            String state = next.getSQLState();
            if (state != null && (state.startsWith("08") || STATES.contains(state))
                    || next instanceof SQLTimeoutException
                    || VENDOR_CODES.contains(next.getErrorCode())) {
                return true;
            }
            next = next.getNextException() != null ? next.getNextException()
                    : next.getCause() instanceof SQLException cause ? cause : null;
        }
        return false;
    }
}
