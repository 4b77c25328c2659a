package dev.qorb.pool;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * A commitment to hold one connection to one backend.
 *
 * <p>Thread-safety: the state moves by the transition methods. The three that leave
 * {@link SlotState#IDLE} are CAS, because an idle slot belongs to no one and claimers,
 * health checks and shrinking race for it; every other transition is made by the slot's
 * current owner (see {@link SlotState}) with a plain volatile write.
 * <p>Invariants: {@link #connection} is non-null exactly while the state is
 * {@linkplain SlotState#connected() connected}; it is written by the owner before the
 * volatile state write that publishes it, and read by the next owner after the volatile
 * read or CAS that made it owner. A retired slot is never lent again: whoever owns it when
 * {@link #retired()} is seen terminates it.
 *
 * @param <C> the connection type
 */
final class Slot<C> {

    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<Slot, SlotState> STATE =
            AtomicReferenceFieldUpdater.newUpdater(Slot.class, SlotState.class, "state");
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<Slot> RETIRED =
            AtomicIntegerFieldUpdater.newUpdater(Slot.class, "retired");

    final SlotSet<C> set;
    /** Unique within its set; for logs and events. */
    final int id;

    /** Many writers (see class comment); read by claimers, stats and the driver. */
    private volatile SlotState state = SlotState.CONNECTING;
    /** Written by the owner only; see class invariants. */
    C connection;
    /** Bumped by the owner for each new connection; read by health timers, so that stale ones stop. */
    volatile int generation;
    /** Connect failures in a row; owner only. */
    int failuresInARow;
    /** 0, then 1 once retired (by shrinking, backend removal, draining or pool close), by CAS; read by every owner. */
    private volatile int retired;
    /** When the connection was last known good (connect, check, recycle); written by owners, read by health timers. */
    volatile long validatedAtNanos;
    /**
     * The pending reconnect while the slot waits out a backoff, else {@code null} or a timer
     * that already ran. Cancelling it before it runs makes the canceller the owner.
     */
    volatile ScheduledFuture<?> backoffTimer;
    /** The next health check while connected; cancelled when the connection goes. */
    volatile ScheduledFuture<?> healthTimer;

    Slot(SlotSet<C> set, int id) {
        this.set = set;
        this.id = id;
    }

    SlotState state() {
        return state;
    }

    /** Takes an idle slot for a claimer. */
    boolean idleToClaimed() {
        return STATE.compareAndSet(this, SlotState.IDLE, SlotState.CLAIMED);
    }

    /** Takes an idle slot for a health check. */
    boolean idleToChecking() {
        return STATE.compareAndSet(this, SlotState.IDLE, SlotState.CHECKING);
    }

    /** Takes an idle slot for termination. */
    boolean idleToTerminated() {
        return STATE.compareAndSet(this, SlotState.IDLE, SlotState.TERMINATED);
    }

    /** Marks the slot retired; true for the one caller that did. */
    boolean retire() {
        return RETIRED.compareAndSet(this, 0, 1);
    }

    boolean retired() {
        return retired != 0;
    }

    /** An owner's transition. */
    void moveTo(SlotState next) {
        state = next;
    }

    @Override
    public String toString() {
        return "slot " + id + " of " + set.backend() + " (" + state + ")";
    }
}
