package dev.qorb.pool;

import dev.qorb.BackendPolicy;
import dev.qorb.connector.Connector;
import dev.qorb.event.RecycleEvent;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector hooks that run in the caller's thread: when claiming, the alive check of a
 * connection unchecked for longer than {@link BackendPolicy#aliveBypassWindow()}
 * ({@code isValid}), then {@code onAcquire}; when releasing, {@code onRecycle}, so that the
 * connection is clean before it is lent again without a hand-off to another thread (HikariCP
 * resets a returned connection in the releasing thread too). Each is bounded by the
 * health-check timeout through the slot's {@link HookWatch}, with no timer and no allocation
 * per call. Without those hooks nothing runs and the clock is not read.
 *
 * <p>Thread-safety: stateless per call; the caller owns the slot until the call returns, and
 * afterwards only as each method says.
 *
 * @param <C> the connection type
 */
final class CallerHooks<C> {

    private static final Logger log = LoggerFactory.getLogger(CallerHooks.class);

    private final String pool;
    private final Connector<C> connector;
    private final SlotLifecycle<C> lifecycle;
    private final Clock clock;
    private final boolean onAcquire;
    private final boolean recycles;
    /** 0 when connections are never checked before lending. */
    private final long aliveBypassNanos;
    private final long boundNanos;

    CallerHooks(String pool, Connector<C> connector, BackendPolicy policy, SlotLifecycle<C> lifecycle, Clock clock) {
        this.pool = pool;
        this.connector = connector;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.onAcquire = lifecycle.hooks().onAcquire();
        this.recycles = lifecycle.hooks().recycles();
        this.aliveBypassNanos = lifecycle.hooks().validates()
                ? policy.aliveBypassWindow().map(d -> Math.max(1, d.toNanos())).orElse(0L) : 0L;
        this.boundNanos = policy.healthCheckTimeout().toNanos();
    }

    /** Whether any claim or release runs user code, so that the pool needs the watchdog. */
    boolean runsHooks() {
        return onAcquire || recycles || aliveBypassNanos > 0;
    }

    /** Whether a claim runs user code (an async claim then runs it on the pool's call lane). */
    boolean claimRunsHooks() {
        return onAcquire || aliveBypassNanos > 0;
    }

    /**
     * A handle gave its slot back: clean it with {@code onRecycle} here, then lend it again; a
     * connection that fails the check is replaced. A slot that is leaving (a closed pool, a
     * drained backend) is ended with no hook but {@code close}. Afterwards the slot is no
     * longer the caller's.
     */
    void released(Slot<C> slot) {
        if (slot.retired()) {
            lifecycle.terminate(slot);
            return;
        }
        if (!recycles) {
            lifecycle.lend(slot);
            return;
        }
        // No SlotStateChange event: this is the release path, which has the Recycle event.
        slot.claimed2recycling();
        RecycleEvent event = new RecycleEvent();
        event.begin();
        long now = clock.nanoTime();
        Throwable failure = bounded(slot, now, Hook.RECYCLE);
        lifecycle.commit(event, slot, failure);
        if (failure == null) {
            slot.validatedAtNanos = now;
            lifecycle.lend(slot);
        }
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
                Throwable failure = bounded(slot, now, Hook.ALIVE_CHECK);
                if (failure != null) {
                    return failure;
                }
                slot.validatedAtNanos = now;
            }
        }
        return onAcquire ? bounded(slot, clock.nanoTime(), Hook.ON_ACQUIRE) : null;
    }

    /** The hooks this class runs, and what becomes of a connection that fails each. */
    private enum Hook {
        ALIVE_CHECK("isValid"), ON_ACQUIRE("onAcquire"), RECYCLE("onRecycle");

        final String method;

        Hook(String method) {
            this.method = method;
        }
    }

    /**
     * Runs {@code hook} on the caller's slot, bounded; on failure it deals with the slot.
     *
     * @return {@code null} when it passed (the slot is still the caller's), else why not
     */
    private Throwable bounded(Slot<C> slot, long now, Hook hook) {
        slot.hookWatch.begin(now + boundNanos);
        Throwable failure = null;
        try {
            switch (hook) {
                case ALIVE_CHECK, RECYCLE -> {
                    boolean valid = hook == Hook.RECYCLE ? connector.onRecycle(slot.connection)
                            : connector.isValid(slot.connection);
                    if (!valid) {
                        failure = new IllegalStateException("the connector found the connection invalid");
                    }
                }
                case ON_ACQUIRE -> connector.onAcquire(slot.connection);
            }
        } catch (Throwable t) {
            failure = t;
        }
        boolean inTime = slot.hookWatch.end();
        if (!inTime) {
            failure = new TimeoutException(hook.method + " did not return within "
                    + TimeUnit.NANOSECONDS.toMillis(boundNanos) + " ms");
        }
        if (failure == null) {
            return null;
        }
        if (inTime && (failure instanceof InterruptedException || Thread.currentThread().isInterrupted())) {
            // The caller's own interrupt: its flag is set again and the backend is not blamed.
            Thread.currentThread().interrupt();
            if (hook == Hook.ON_ACQUIRE) {
                released(slot);
            } else {
                lifecycle.reconnect(slot); // a check cut short leaves a connection nobody vouches for
            }
            return failure;
        }
        log.debug("pool '{}': {} failed on {}: {}", pool, hook.method, slot, SlotSet.describe(failure));
        lifecycle.failedInUse(slot, failure);
        if (!inTime) {
            lifecycle.abandoned(slot); // the watchdog closed the connection
        } else if (hook == Hook.ON_ACQUIRE) {
            released(slot); // qorb: a connection onAcquire rejected goes through onRecycle
        } else {
            lifecycle.reconnect(slot);
        }
        if (failure instanceof VirtualMachineError error) {
            throw error;
        }
        return failure;
    }
}
