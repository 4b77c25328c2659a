package dev.qorb.jdbc;

import dev.qorb.Handle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLNonTransientConnectionException;

/**
 * The connection one {@link QorbDataSource#getConnection()} call returned: a new proxy per
 * claim, so that a caller who keeps it after {@code close()} gets a clear error instead of
 * another caller's connection. {@code close()} gives it back to the pool, whose
 * {@link JdbcConnector#onRecycle} resets it in the caller's thread as HikariCP does, or
 * invalidates it when the driver reported it broken.
 *
 * <p>Thread-safety: {@code close()} and {@code abort()} decide by CAS on {@code closed};
 * exactly one of them gives the connection back. Other methods are for the claiming thread.
 */
final class LentConnection implements InvocationHandler {

    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(LentConnection.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String pool;
    private final TrackedConnection connection;
    private final Handle<Connection> handle;
    final Connection proxy;
    /** Set once, by the first of close() and abort(). */
    private volatile boolean closed;

    LentConnection(String pool, TrackedConnection connection, Handle<Connection> handle) {
        this.pool = pool;
        this.connection = connection;
        this.handle = handle;
        this.proxy = Proxies.connection(this);
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "close" -> {
                close();
                return null;
            }
            case "isClosed" -> {
                return closed || connection.driverClosed();
            }
            case "isValid" -> {
                if (closed) {
                    return false;
                }
            }
            case "abort" -> {
                abort();
                return null;
            }
            case "equals" -> {
                return self == args[0];
            }
            case "hashCode" -> {
                return System.identityHashCode(self);
            }
            case "toString" -> {
                return "qorb connection of pool '" + pool + "' to " + handle.backend() + (closed ? " (closed)" : "");
            }
            default -> {
            }
        }
        if (closed) {
            throw new SQLNonTransientConnectionException("pool '" + pool + "': " + method.getName()
                    + " called on a connection that was closed, and so given back to the pool;"
                    + " get a new one from the DataSource for each unit of work", "08003");
        }
        return connection.call(proxy, method, args);
    }

    private void close() {
        if (!CLOSED.compareAndSet(this, false, true)) {
            return;
        }
        if (connection.broken()) {
            handle.invalidate();
        } else {
            handle.close(); // the pool's onRecycle (JdbcConnector's) resets it, in this thread
        }
    }

    /** JDBC's abort: the connection is closed, not reused, and the caller does not wait for it. */
    private void abort() {
        if (CLOSED.compareAndSet(this, false, true)) {
            connection.markBroken();
            handle.invalidate();
        }
    }
}
