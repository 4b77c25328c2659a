package dev.qorb.metrics;

import dev.qorb.Backend;
import dev.qorb.ClaimException;

/**
 * What a pool reports as it works, for a metrics system to count and time (in the manner of
 * HikariCP's {@code IMetricsTracker}). One tracker serves one pool; a
 * {@link MetricsTrackerFactory} given to {@code Pool.Builder.metricsTracker} creates it.
 *
 * <p>Claims and releases report on the caller's thread, on the pool's fast path: every method
 * must be quick (count into a {@code LongAdder}, no locks, no I/O) and should not throw. The
 * pool catches what a tracker throws, logs it and carries on. The others are called on the
 * pool's threads. Calls for one pool may come from many threads at once.
 */
public interface MetricsTracker {

    /** {@link #released}'s hold time when the pool did not time that hold. */
    long NOT_TIMED = -1;

    /** Records nothing: the pool's tracker unless one is given. */
    MetricsTracker NONE = new MetricsTracker() {
    };

    /**
     * A claim got a connection.
     *
     * @param waitNanos how long it waited; 0 when a connection was idle, since the pool reads no
     *     clock on that path
     */
    default void claimed(long waitNanos) {
    }

    /**
     * A claim failed.
     *
     * @param kind why
     * @param waitNanos how long it waited before failing
     */
    default void claimFailed(ClaimException.Kind kind, long waitNanos) {
    }

    /**
     * A claimed connection came back, closed or invalidated.
     *
     * @param heldNanos how long it was held, or {@link #NOT_TIMED}: so that most claims read no
     *     clock, the pool times a random sample of holds (every hold while leak detection or the
     *     JFR release event is on)
     */
    default void released(long heldNanos) {
    }

    /**
     * A connect succeeded.
     *
     * @param backend where to
     * @param nanos how long it took
     */
    default void connected(Backend backend, long nanos) {
    }

    /**
     * A connect failed or timed out.
     *
     * @param backend where to
     * @param nanos how long it took to fail
     */
    default void connectFailed(Backend backend, long nanos) {
    }

    /**
     * A health check, a recycle or an {@code onAcquire} call failed on a connection to
     * {@code backend}.
     */
    default void checkFailed(Backend backend) {
    }

    /**
     * The pool was closed: release what the tracker registered (meters, for example). Handles
     * returned later may still report {@link #released} and claims {@link #claimFailed}.
     */
    default void closed() {
    }
}
