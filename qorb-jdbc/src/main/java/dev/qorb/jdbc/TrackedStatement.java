package dev.qorb.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Wrapper;

/**
 * A statement (plain, prepared or callable) or the database metadata of a
 * {@link TrackedConnection}: it reports fatal errors and running statements to the connection,
 * removes itself from the connection's open statements when closed, and answers
 * {@code getConnection()} with the connection its user holds, never the driver's.
 *
 * <p>Thread-safety: as its connection's.
 */
final class TrackedStatement implements InvocationHandler {

    private final TrackedConnection connection;
    private final Connection face;
    /** A {@link Statement}, or the {@link java.sql.DatabaseMetaData}. */
    private final Wrapper driver;
    private final boolean statement;

    TrackedStatement(TrackedConnection connection, Connection face, Wrapper driver, boolean statement) {
        this.connection = connection;
        this.face = face;
        this.driver = driver;
        this.statement = statement;
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        switch (name) {
            case "close" -> {
                connection.statementClosed(this);
            }
            case "getConnection" -> {
                invokeDriver(method, args); // throws as the driver does, e.g. on a closed statement
                return face;
            }
            default -> {
                if (Proxies.answersAlike(method)) {
                    return Proxies.answer(self, method, args, driver);
                }
                // Metadata queries run as statements do (inside the transaction, when auto-commit is off).
                if (statement ? name.startsWith("execute") : method.getReturnType() == ResultSet.class) {
                    connection.statementRuns();
                }
            }
        }
        return invokeDriver(method, args);
    }

    private Object invokeDriver(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(driver, args);
        } catch (InvocationTargetException e) {
            throw connection.failed(e.getCause());
        }
    }

    /** Closes the driver's statement, for the connection's reset (which then forgets it). */
    void closeDriver() throws SQLException {
        ((Statement) driver).close();
    }
}
