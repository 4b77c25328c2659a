package dev.qorb.connector;

import dev.qorb.Backend;

/**
 * Opens, checks, prepares, cleans and closes connections of type {@code C} to one backend.
 * Only {@link #connect(Backend)} is required.
 *
 * <p>Where the hooks run: {@code connect}, the periodic {@code isValid} and {@code close} run
 * on the pool's background threads, so they may block (a JDBC connect does); {@code close}
 * never runs on a claimer's or a releasing thread. {@code onAcquire} (and the check of a
 * connection unchecked for longer than {@code aliveBypassWindow}) runs in the claiming thread
 * (for {@code claimAsync}, on the pool's threads); {@code onRecycle} runs in the thread that
 * closes the handle, so a returned connection is clean before it is lent again without a
 * thread hand-off. A hook that runs past its bound ({@code connectTimeout} for connect,
 * {@code healthCheckTimeout} for the others) is abandoned: its thread is interrupted, the
 * connection is closed (which unblocks socket I/O), and its late result is closed and
 * ignored. A hook that ignores both interrupts and a closed connection holds its thread until
 * it returns; the pool lets at most {@code maxConnectorCalls} of its background calls run at
 * once, so such a hook holds only its own pool's capacity. After the pool is closed, only
 * {@code close} is called.
 *
 * <p>Thread-safety: the pool never calls two hooks on the same connection at the same time,
 * but calls hooks on different connections concurrently.
 *
 * @param <C> the connection type
 */
public interface Connector<C> {

    /**
     * Opens a connection to {@code backend}. It must be really connected: if it succeeds
     * here but {@link #isValid} would fail, slots churn.
     *
     * <p>On failure or timeout the slot retries with exponential backoff and random spread,
     * and the failure counts against the backend.
     *
     * @throws Exception any failure; its message appears in the pool's errors and stats
     */
    C connect(Backend backend) throws Exception;

    /**
     * Checks an idle connection, every {@code healthInterval} (plus spread). Bounded by
     * {@code healthCheckTimeout}. On {@code false}, an exception or a timeout the connection
     * is closed, the slot reconnects and the failure counts against the backend.
     */
    default boolean isValid(C connection) throws Exception {
        return true;
    }

    /**
     * Prepares a connection the pool picked, just before the claimer gets it, in the
     * claimer's thread. Bounded by {@code healthCheckTimeout}. On an exception or a timeout
     * the connection goes through {@link #onRecycle} and the claim is retried on another
     * connection, keeping its deadline.
     */
    default void onAcquire(C connection) throws Exception {
    }

    /**
     * Cleans a connection a claimer gave back, before it is lent again; by default
     * {@link #isValid}. Runs in the thread that closes the handle, bounded by
     * {@code healthCheckTimeout}. On {@code false}, an exception or a timeout the connection is
     * closed, the slot reconnects and the failure counts against the backend.
     */
    default boolean onRecycle(C connection) throws Exception {
        return isValid(connection);
    }

    /**
     * Closes a connection the pool is done with. By default closes an
     * {@link AutoCloseable} and ignores anything else. Exceptions are logged and ignored.
     */
    default void close(C connection) throws Exception {
        if (connection instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
