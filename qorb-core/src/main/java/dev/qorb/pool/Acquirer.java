package dev.qorb.pool;

import dev.qorb.BackendPolicy;
import dev.qorb.connector.Connector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user code a claim runs in the claimer's thread on the slot it took: the alive check of a
 * connection idle past {@link BackendPolicy#aliveBypassWindow()} ({@code isValid}), then
 * {@code onAcquire}. Each is bounded by the health-check timeout through the slot's
 * {@link AcquireWatch}, with no timer and no allocation per call. Without those hooks nothing
 * runs and the clock is not read.
 *
 * <p>Thread-safety: stateless per call; the caller owns the slot (claimed) until the call
 * returns, and afterwards only if it returned {@code null}.
 *
 * @param <C> the connection type
 */
final class Acquirer<C> {

    private static final Logger log = LoggerFactory.getLogger(Acquirer.class);

    private final String pool;
    private final Connector<C> connector;
    private final SlotLifecycle<C> lifecycle;
    private final Clock clock;
    private final boolean onAcquire;
    /** 0 when connections are never checked before lending. */
    private final long aliveBypassNanos;
    private final long boundNanos;

    Acquirer(String pool, Connector<C> connector, BackendPolicy policy, SlotLifecycle<C> lifecycle, Clock clock) {
        this.pool = pool;
        this.connector = connector;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.onAcquire = lifecycle.hooks().onAcquire();
        this.aliveBypassNanos = lifecycle.hooks().validates()
                ? policy.aliveBypassWindow().map(d -> Math.max(1, d.toNanos())).orElse(0L) : 0L;
        this.boundNanos = policy.healthCheckTimeout().toNanos();
    }

    /** Whether any claim runs user code, so that claims need the watchdog. */
    boolean runsHooks() {
        return onAcquire || aliveBypassNanos > 0;
    }

    /**
     * Prepares a claimed slot for its claimer.
     *
     * @return {@code null} when the slot may be handed out; otherwise why not, and the slot
     *     is no longer the caller's. An {@link InterruptedException}, or any failure while the
     *     thread is interrupted, is the claimer's own interrupt: its flag is set again and the
     *     backend is not blamed
     */
    Throwable acquire(Slot<C> slot) {
        if (aliveBypassNanos > 0) {
            long now = clock.nanoTime();
            if (now - slot.validatedAtNanos > aliveBypassNanos) {
                Throwable failure = bounded(slot, now, true);
                if (failure != null) {
                    return failure;
                }
                slot.validatedAtNanos = now;
            }
        }
        return onAcquire ? bounded(slot, clock.nanoTime(), false) : null;
    }

    private Throwable bounded(Slot<C> slot, long now, boolean aliveCheck) {
        slot.acquireWatch.begin(now + boundNanos);
        Throwable failure = null;
        try {
            if (aliveCheck) {
                if (!connector.isValid(slot.connection)) {
                    failure = new IllegalStateException("the connector found the connection invalid");
                }
            } else {
                connector.onAcquire(slot.connection);
            }
        } catch (Throwable t) {
            failure = t;
        }
        boolean inTime = slot.acquireWatch.end();
        if (!inTime) {
            failure = new TimeoutException((aliveCheck ? "isValid" : "onAcquire") + " did not return within "
                    + TimeUnit.NANOSECONDS.toMillis(boundNanos) + " ms");
        }
        if (failure == null) {
            return null;
        }
        if (inTime && (failure instanceof InterruptedException || Thread.currentThread().isInterrupted())) {
            Thread.currentThread().interrupt();
            lifecycle.released(slot);
            return failure;
        }
        log.debug("pool '{}': {} failed on {}, trying another connection: {}", pool,
                aliveCheck ? "the check of an idle connection" : "onAcquire", slot, SlotSet.describe(failure));
        lifecycle.failedInUse(slot, failure);
        if (!inTime) {
            lifecycle.abandoned(slot);
        } else if (aliveCheck) {
            lifecycle.reconnect(slot);
        } else {
            lifecycle.released(slot); // qorb: a connection onAcquire rejected goes through onRecycle
        }
        if (failure instanceof VirtualMachineError error) {
            throw error;
        }
        return failure;
    }
}
