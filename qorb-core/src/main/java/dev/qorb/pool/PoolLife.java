package dev.qorb.pool;

import dev.qorb.ClaimException;
import dev.qorb.PoolState;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's state (cueball's starting, running, failed, stopping, stopped) and the counts
 * that decide when it has stopped.
 *
 * <p>Thread-safety: the state moves by CAS; the counts are atomic.
 * <p>Invariants: {@code openSlots} counts the slots not yet terminated, over all backends,
 * removed ones included; {@code openConnections} counts the connections the connector returned
 * and the close lane has not yet closed (or given up on). The pool is {@link PoolState#STOPPED}
 * exactly when it is closing and both are zero; both only go down once closing, so the check
 * after each decrement cannot miss the moment.
 */
final class PoolLife {

    private static final Logger log = LoggerFactory.getLogger(QorbPool.class);

    private final String pool;
    private final AtomicReference<PoolState> state = new AtomicReference<>(PoolState.STARTING);
    /** Set once, when a backend first comes online. */
    private volatile boolean everOnline;
    /** Set once, by {@link #startClosing()}. */
    private volatile boolean closing;
    private final AtomicInteger openSlots = new AtomicInteger();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);

    PoolLife(String pool) {
        this.pool = pool;
    }

    PoolState state() {
        return state.get();
    }

    boolean closing() {
        return closing;
    }

    int openSlots() {
        return openSlots.get();
    }

    /** @return true for the one caller that started closing */
    synchronized boolean startClosing() {
        if (closing) {
            return false;
        }
        closing = true;
        state.set(PoolState.STOPPING);
        return true;
    }

    void slotAdded() {
        openSlots.incrementAndGet();
    }

    void slotTerminated() {
        openSlots.decrementAndGet();
        stopIfDone();
    }

    void connectionOpened() {
        openConnections.incrementAndGet();
    }

    void connectionClosed() {
        openConnections.decrementAndGet();
        stopIfDone();
    }

    /** After close has retired every slot: the pool may already be done. */
    void stopIfDone() {
        if (closing && openSlots.get() == 0 && openConnections.get() == 0
                && state.compareAndSet(PoolState.STOPPING, PoolState.STOPPED)) {
            stopped.countDown();
            log.info("pool '{}' stopped: every connection is closed", pool);
        }
    }

    boolean awaitStopped(long nanos) throws InterruptedException {
        return stopped.await(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Moves to the state the backends imply: running while one is online, failed when every
     * lending backend is failing (see {@link PoolState#FAILED}), else as before.
     *
     * @param onFailed called once when the pool enters {@link PoolState#FAILED}
     */
    <C> void update(List<SlotSet<C>> sets, long nowNanos, Supplier<ClaimException> why, Runnable onFailed) {
        for (;;) {
            PoolState current = state.get();
            if (current == PoolState.STOPPING || current == PoolState.STOPPED) {
                return;
            }
            PoolState next = assess(sets, nowNanos);
            if (next == current) {
                return;
            }
            if (state.compareAndSet(current, next)) {
                if (next == PoolState.FAILED && sets.stream().noneMatch(SlotSet::lending)) { // all drained
                    log.info("pool '{}': all backends drained, claims fail at once until one is undrained", pool);
                    onFailed.run();
                } else if (next == PoolState.FAILED) {
                    log.warn("pool '{}' failed, claims fail at once until a backend connects: {}", pool,
                            why.get().getMessage());
                    onFailed.run();
                } else {
                    log.info("pool '{}' is {}", pool, next);
                }
                return;
            }
        }
    }

    private <C> PoolState assess(List<SlotSet<C>> sets, long nowNanos) {
        boolean anyLending = false;
        boolean anyDrained = false;
        boolean anyEjected = false;
        boolean allFailing = true;
        for (SlotSet<C> set : sets) {
            if (set.removed()) {
                continue; // leaving: a rebalance in progress may still list it
            }
            if (!set.lending()) {
                anyEjected |= set.ejected();
                anyDrained |= set.draining();
                continue;
            }
            anyLending = true;
            if (set.online()) {
                everOnline = true;
                return PoolState.RUNNING;
            }
            allFailing &= set.failing(nowNanos);
        }
        // Every lending backend failing, or every known one drained by an operator. An ejection
        // ends by itself soon: while one runs, claims wait for it instead.
        if (anyLending ? allFailing : anyDrained && !anyEjected) {
            return PoolState.FAILED;
        }
        return everOnline ? PoolState.RUNNING : PoolState.STARTING;
    }
}
