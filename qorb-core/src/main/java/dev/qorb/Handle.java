package dev.qorb;

/**
 * A connection lent to one caller by {@link Pool#claim()}. Close it to give the connection
 * back, best with try-with-resources:
 *
 * <pre>{@code
 * try (Handle<Socket> h = pool.claim()) {
 *     h.get().getOutputStream().write(request);
 * }
 * }</pre>
 *
 * <p>Thread-safety: a handle belongs to the caller that claimed it. {@link #close()} and
 * {@link #invalidate()} may race with each other from any thread: exactly one of them
 * takes effect, and every later call of either does nothing (as {@link AutoCloseable}
 * recommends), so {@code try (h) { ... h.invalidate(); }} is safe.
 *
 * @param <C> the connection type
 */
public interface Handle<C> extends AutoCloseable {

    /**
     * The connection.
     *
     * @throws IllegalStateException if this handle was already closed or invalidated: the
     *     connection may already be lent to someone else
     */
    C get();

    /** The backend the connection goes to. Usable after close, for logging. */
    Backend backend();

    /**
     * Gives the connection back to the pool, which checks it (the connector's
     * {@code onRecycle}) before lending it again. Does nothing if the handle was already
     * closed or invalidated.
     */
    @Override
    void close();

    /**
     * Gives the connection back as broken: the pool closes it, never lends it again, and
     * opens a new one in its place. Use it when the connection failed in a way that leaves
     * it unusable (an I/O error mid-request, a protocol desync). Does nothing if the handle
     * was already closed or invalidated.
     */
    void invalidate();

    /**
     * Gives the connection back as broken, as {@link #invalidate()}, saying why: the cause shows
     * as the backend's last error. Invalidations count against the backend: one whose
     * connections keep failing is taken out for a while (see
     * {@link BackendPolicy#ejectAfterFailures()}). Report what the connection did wrong (an I/O
     * error, a timeout waiting for an answer), not what the request did wrong.
     */
    void invalidate(Throwable cause);
}
