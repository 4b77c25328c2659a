package dev.qorb.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * A commitment to hold one connection to one backend.
 *
 * <p>Ownership: in every state but {@link SlotState#WAITING} and {@link SlotState#IDLE} exactly
 * one party owns the slot and only it moves the slot on. A slot in {@code WAITING} or
 * {@code IDLE} belongs to no one, and whoever wins a CAS out of it owns it. Transitions:
 *
 * <pre>
 * from        to                       by                                        method
 * WAITING     CONNECTING               the connect task, when it starts           waiting2connecting (CAS)
 * WAITING     TERMINATED               retirement                                 waiting2terminated (CAS)
 * CONNECTING  IDLE | CLAIMED (waiter)  the connect call, on success               Lending.offer
 * CONNECTING  WAITING                  the connect call, on failure (backoff)     owner2waiting
 * IDLE        CLAIMED                  a claimer                                  idle2claimed (CAS)
 * IDLE        CHECKING                 a health check                             idle2checking (CAS)
 * IDLE        TERMINATED               retirement                                 idle2terminated (CAS)
 * CLAIMED     RECYCLING                the handle, when the connector recycles    claimed2recycling
 * CLAIMED     IDLE | CLAIMED (waiter)  the handle, when it does not               Lending.offer
 * CLAIMED     WAITING                  invalidate, or a failed onAcquire          owner2waiting
 * RECYCLING,
 * CHECKING    IDLE | CLAIMED (waiter)  the check, passed                          Lending.offer
 * RECYCLING,
 * CHECKING    WAITING                  the check, failed or timed out             owner2waiting
 * any owned   TERMINATED               the owner, when it sees the slot retired   owner2terminated
 * CONNECTING,
 * CHECKING,
 * RECYCLING   TERMINATED               retirement, while the call is abandoned    abandoned2terminated (CAS)
 * </pre>
 *
 * <p>A call past its bound is abandoned but keeps the slot (one connector call per slot), so a
 * retirement could not end the slot until a hook that ignores interrupts returns. The
 * {@code abandoned} word settles it: the late return ({@link #abandoned2owned}) and the
 * retirement ({@link #abandoned2terminated}) race by CAS, and the loser leaves the slot alone.
 *
 * <p>Retirement (close, removal, drain, shrink) sets {@link #retire() the mark} first and then
 * tries the CASes out of {@code WAITING} and {@code IDLE}. An owner that gives the slot up
 * (to {@code WAITING} or {@code IDLE}) reads the mark after publishing the state and then
 * tries the same CAS. Both sides write before they read (volatile), so at least one sees the
 * other, and the CAS lets exactly one terminate: no slot is left unterminated, none is
 * terminated twice.
 * <p>Invariants: {@link #connection} is non-null exactly while the state is
 * {@linkplain SlotState#connected() connected}; it is written by the owner before the volatile
 * state write that publishes it, and read by the next owner after the read or CAS that made it
 * owner.
 *
 * @param <C> the connection type
 */
final class Slot<C> extends SlotPadding {

    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<Slot, SlotState> STATE =
            AtomicReferenceFieldUpdater.newUpdater(Slot.class, SlotState.class, "state");
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<Slot> RETIRED =
            AtomicIntegerFieldUpdater.newUpdater(Slot.class, "retired");
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<Slot> ABANDONED =
            AtomicIntegerFieldUpdater.newUpdater(Slot.class, "abandoned");
    private static final VarHandle CLAIMS = claimsHandle();

    final SlotSet<C> set;
    /** Unique within its set; for logs and events. */
    final int id;

    /** See the class comment for who writes it; read by claimers, stats and the lifecycle. */
    private volatile SlotState state = SlotState.WAITING;
    /** Written by the owner only; see the invariants. */
    C connection;
    /** Bumped by the owner for each new connection; read by health timers, so that stale ones stop. */
    volatile int generation;
    /** Connect failures in a row; owner only. */
    int failuresInARow;
    /** 0, then 1 once retired, by CAS; read by every owner after it gives the slot up. */
    private volatile int retired;
    /**
     * 1 while the slot's connector call is abandoned (past its bound, not yet returned), else 0.
     * The late return and a retirement race for it by CAS: the winner moves the slot on.
     */
    private volatile int abandoned;
    /** When the connection was last known good (connect, check, recycle); written by owners, read by timers and claimers. */
    volatile long validatedAtNanos;
    /** The next health check while connected; cancelled when the connection goes. Owner only. */
    ScheduledFuture<?> healthTimer;
    /** Retires the connection at the end of its lifetime; cancelled when the connection goes. Owner only. */
    ScheduledFuture<?> lifetimeTimer;
    /** Set when the connection outlived its lifetime while owned: the owner replaces it when it lets go. */
    volatile boolean expired;
    /**
     * Whether the backend's online count still counts this slot while it replaces an expired
     * connection, so that a lifetime reconnect does not make a backend look offline. Owner only.
     */
    boolean heldOnline;
    /**
     * Claims served from this slot. Written only by the owner that hands the slot out, so a
     * plain increment suffices (the CAS that made it owner orders it after the last owner's);
     * opaque access keeps the stats and the idle sweep, which read it from other threads, from
     * seeing a torn value. Shared counters here cost a quarter of a claim + release (issue 15).
     */
    @SuppressWarnings("unused") // through CLAIMS
    private long claims;
    /** The idle sweep's own: {@code claims} when it last changed, and since when it has not. Rebalance only. */
    long claimsSeen;
    long idleSinceNanos;
    /** The bounded {@code onAcquire} in flight on this slot, watched by the pool's {@code HookWatchdog}. */
    final HookWatch hookWatch = new HookWatch();

    Slot(SlotSet<C> set, int id) {
        this.set = set;
        this.id = id;
    }

    SlotState state() {
        return state;
    }

    boolean waiting2connecting() {
        return STATE.compareAndSet(this, SlotState.WAITING, SlotState.CONNECTING);
    }

    boolean waiting2terminated() {
        return STATE.compareAndSet(this, SlotState.WAITING, SlotState.TERMINATED);
    }

    boolean idle2claimed() {
        return STATE.compareAndSet(this, SlotState.IDLE, SlotState.CLAIMED);
    }

    boolean idle2checking() {
        return STATE.compareAndSet(this, SlotState.IDLE, SlotState.CHECKING);
    }

    boolean idle2terminated() {
        return STATE.compareAndSet(this, SlotState.IDLE, SlotState.TERMINATED);
    }

    /** The call owning the slot ran past its bound; it still owns the slot unless a retirement takes it. */
    void abandon() {
        abandoned = 1;
    }

    /** The abandoned call returned: true if it still owns the slot. */
    boolean abandoned2owned() {
        return ABANDONED.compareAndSet(this, 1, 0);
    }

    /** A retirement takes a slot whose call is abandoned. */
    boolean abandoned2terminated() {
        if (!ABANDONED.compareAndSet(this, 1, 0)) {
            return false;
        }
        state = SlotState.TERMINATED;
        return true;
    }

    /** The owner hands the slot back to no one: to wait for its next connect. */
    void owner2waiting() {
        state = SlotState.WAITING;
    }

    /** The owner lends the slot out again or makes it idle; only {@code Lending} calls these two. */
    void owner2idle() {
        state = SlotState.IDLE;
    }

    void owner2claimed() {
        state = SlotState.CLAIMED;
    }

    void claimed2recycling() {
        state = SlotState.RECYCLING;
    }

    void owner2terminated() {
        state = SlotState.TERMINATED;
    }

    /** Counts a claim served from this slot; by its owner only. */
    void countClaim() {
        CLAIMS.setOpaque(this, (long) CLAIMS.getOpaque(this) + 1);
    }

    /** Claims served from this slot so far; from any thread. */
    long claims() {
        return (long) CLAIMS.getOpaque(this);
    }

    private static VarHandle claimsHandle() {
        try {
            return MethodHandles.lookup().findVarHandle(Slot.class, "claims", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Marks the slot retired; true for the one caller that did. */
    boolean retire() {
        return RETIRED.compareAndSet(this, 0, 1);
    }

    boolean retired() {
        return retired != 0;
    }

    @Override
    public String toString() {
        return "slot " + id + " of " + set + " (" + state + ")";
    }
}
