package dev.qorb.pool;

import dev.qorb.Backend;
import dev.qorb.ClaimException;
import dev.qorb.metrics.MetricsTracker;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool's {@link MetricsTracker}, made harmless: what it throws is logged (at WARN the first
 * time, then at DEBUG, since a broken tracker would throw on every claim) and the pool carries
 * on as if the call had returned.
 */
final class GuardedTracker implements MetricsTracker {

    private static final Logger log = LoggerFactory.getLogger(GuardedTracker.class);

    private final String pool;
    private final MetricsTracker tracker;
    private final AtomicBoolean warned = new AtomicBoolean();

    private GuardedTracker(String pool, MetricsTracker tracker) {
        this.pool = pool;
        this.tracker = tracker;
    }

    /** {@code tracker} guarded; {@link MetricsTracker#NONE} as it is, so that the pool can tell it apart. */
    static MetricsTracker of(String pool, MetricsTracker tracker) {
        return tracker == null || tracker == NONE ? NONE : new GuardedTracker(pool, tracker);
    }

    @Override
    public void claimed(long waitNanos) {
        try {
            tracker.claimed(waitNanos);
        } catch (RuntimeException | LinkageError e) {
            failed("claimed", e);
        }
    }

    @Override
    public void claimFailed(ClaimException.Kind kind, long waitNanos) {
        try {
            tracker.claimFailed(kind, waitNanos);
        } catch (RuntimeException | LinkageError e) {
            failed("claimFailed", e);
        }
    }

    @Override
    public void released(long heldNanos) {
        try {
            tracker.released(heldNanos);
        } catch (RuntimeException | LinkageError e) {
            failed("released", e);
        }
    }

    @Override
    public void connected(Backend backend, long nanos) {
        try {
            tracker.connected(backend, nanos);
        } catch (RuntimeException | LinkageError e) {
            failed("connected", e);
        }
    }

    @Override
    public void connectFailed(Backend backend, long nanos) {
        try {
            tracker.connectFailed(backend, nanos);
        } catch (RuntimeException | LinkageError e) {
            failed("connectFailed", e);
        }
    }

    @Override
    public void checkFailed(Backend backend) {
        try {
            tracker.checkFailed(backend);
        } catch (RuntimeException | LinkageError e) {
            failed("checkFailed", e);
        }
    }

    @Override
    public void closed() {
        try {
            tracker.closed();
        } catch (RuntimeException | LinkageError e) {
            failed("closed", e);
        }
    }

    private void failed(String call, Throwable e) {
        if (warned.compareAndSet(false, true)) {
            log.warn("pool '{}': the metrics tracker {} threw from {}; the pool ignores it (later failures are"
                    + " logged at DEBUG)", pool, tracker.getClass().getName(), call, e);
        } else {
            log.debug("pool '{}': the metrics tracker threw from {}", pool, call, e);
        }
    }
}
