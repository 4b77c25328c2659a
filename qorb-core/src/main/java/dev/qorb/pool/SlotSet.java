package dev.qorb.pool;

import dev.qorb.Backend;
import dev.qorb.BackendStats;
import dev.qorb.PoolState;
import dev.qorb.Secrets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * All slots of one backend, and what the pool knows of the backend's health.
 *
 * <p>Thread-safety: claimers read {@link #slots} (a copy-on-write array) without locking and
 * take slots by CAS; only the driver and the rebalancer add or remove slots, under
 * {@code lock}, off the claim path.
 * <p>Invariants: {@code slots} holds every slot of this backend that is not
 * {@link SlotState#TERMINATED} (a slot leaves the array when it terminates);
 * {@code connected} equals the number of slots holding a connection.
 *
 * @param <C> the connection type
 */
final class SlotSet<C> {

    private static final Slot<?>[] NONE = new Slot<?>[0];

    private final String name;
    /** Written by the rebalancer when only the priority or weight changed; read anywhere. */
    private volatile Backend backend;
    private final ReentrantLock lock = new ReentrantLock();
    /** Written under {@code lock} (copy on write); read by claimers, stats and the rebalancer. */
    @SuppressWarnings("unchecked")
    private volatile Slot<C>[] slots = (Slot<C>[]) NONE;
    /** Guarded by {@code lock}. */
    private int nextId;
    /** Written by the rebalancer; read by releasing handles to retire slots above it. */
    private volatile int target;
    /** Written by operators (drain/undrain); read by the rebalancer and the driver. */
    private volatile boolean draining;
    /** Set once, when the resolver no longer reports the backend. */
    private volatile boolean removed;
    /** Written by the pool's outlier ejection; read by the rebalance and the lifecycle. */
    private volatile boolean ejected;
    /** Written by the pool's outlier ejection only. */
    private volatile int ejections;
    /** Since when the backend has had no connection (its creation, or its last one closing); for {@code FAILED}. */
    private volatile long offlineSinceNanos;
    /** Set by a connection failure that reached the ejection threshold; taken by the next rebalance. */
    private final AtomicBoolean ejectionRequested = new AtomicBoolean();
    /** Failures of this backend's connections in a row while online; reset by a clean use. */
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicInteger connected = new AtomicInteger();
    /** Connect failures since the last successful connect to this backend. */
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private final FailureWindow failures;
    /** Written by the driver on each failure; read for stats and claim errors. */
    private volatile Failure lastFailure;
    /** Claims served by slots that have terminated; the live slots count their own. Written under {@code lock}. */
    private volatile long claimsOfEndedSlots;
    /**
     * Odd while {@link #removeSlot} moves a slot's claims from the live slots to
     * {@code claimsOfEndedSlots}, so that {@link #claims} can tell a snapshot taken across the
     * move (a sequence lock). Written under {@code lock}.
     */
    private volatile int movingClaims;
    private final LongAdder connectFailures = new LongAdder();
    private final LongAdder checkFailures = new LongAdder();

    SlotSet(String name, Backend backend, long failureWindowNanos, long nowNanos) {
        this.offlineSinceNanos = nowNanos;
        this.name = name;
        this.backend = backend;
        this.failures = new FailureWindow(failureWindowNanos);
    }

    String name() {
        return name;
    }

    Backend backend() {
        return backend;
    }

    /** Takes a new priority or weight for the same address. */
    void backend(Backend updated) {
        this.backend = updated;
    }

    /**
     * Takes an idle slot for a claimer, scanning from a position derived from {@code random}
     * so that concurrent claimers spread over the slots instead of racing for the first.
     */
    Slot<C> takeIdle(int random) {
        Slot<C>[] current = slots;
        int n = current.length;
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(random, n);
        for (int i = 0; i < n; i++) {
            Slot<C> slot = current[(start + i) % n];
            if (slot.state() == SlotState.IDLE && slot.idle2claimed()) {
                return slot;
            }
        }
        return null;
    }

    /**
     * Slots not lent out and not leaving (idle, connecting, being checked or waiting to
     * reconnect), counted up to {@code enough}: it stops there, so it is cheap while spares are
     * plenty.
     */
    int unclaimedUpTo(int enough) {
        int unclaimed = 0;
        for (Slot<C> slot : slots) {
            SlotState state = slot.state();
            if (state != SlotState.CLAIMED && state != SlotState.TERMINATED && !slot.retired()
                    && ++unclaimed >= enough) {
                return unclaimed;
            }
        }
        return unclaimed;
    }

    /** Adds a slot in {@link SlotState#CONNECTING}; the caller starts its connect. */
    Slot<C> addSlot() {
        lock.lock();
        try {
            Slot<C> slot = new Slot<>(this, nextId++);
            Slot<C>[] next = Arrays.copyOf(slots, slots.length + 1);
            next[next.length - 1] = slot;
            slots = next;
            return slot;
        } finally {
            lock.unlock();
        }
    }

    /** Removes a terminated slot, keeping its claims in the backend's count. */
    void removeSlot(Slot<C> slot) {
        lock.lock();
        try {
            Slot<C>[] current = slots;
            for (int i = 0; i < current.length; i++) {
                if (current[i] == slot) {
                    Slot<C>[] next = Arrays.copyOf(current, current.length - 1);
                    System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                    movingClaims++;
                    slots = next;
                    claimsOfEndedSlots += slot.claims();
                    movingClaims++;
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    Slot<C>[] slots() {
        return slots;
    }

    int slotCount() {
        return slots.length;
    }

    int target() {
        return target;
    }

    void target(int target) {
        this.target = target;
    }

    /**
     * Claims served from this backend: exact, never missing nor counting twice the claims of a
     * slot that ends meanwhile (the snapshot is taken again if {@link #removeSlot} moved a count
     * while it was taken; slots end rarely, so this loop ends at once).
     */
    long claims() {
        for (;;) {
            int before = movingClaims;
            if ((before & 1) == 0) {
                long claims = claimsOfEndedSlots;
                for (Slot<C> slot : slots) {
                    claims += slot.claims();
                }
                if (movingClaims == before) {
                    return claims;
                }
            }
            Thread.yield(); // the mover holds no lock a stats reader needs, and is done within a few reads
        }
    }

    /**
     * Decides whether a slot that came free should leave instead of being lent again (the
     * backend is gone, drained or ejected), and if so retires it. A slot above the backend's
     * target stays: shrinking is lazy, by {@link #retireExcess}, so that claims rising and
     * falling do not make the pool reconnect.
     *
     * @return whether the slot is now retired
     */
    boolean retireIfUnwanted(Slot<C> slot) {
        if (removed || draining || ejected) {
            slot.retire();
            return true;
        }
        return false;
    }

    /**
     * Notes which connected slots were lent since the last sweep, so that
     * {@link #retireExcess} knows how long each has been idle without the claim path reading
     * the clock. Rebalance only.
     */
    void sweepIdle(long nowNanos) {
        for (Slot<C> slot : slots) {
            long claims = slot.claims();
            if (claims != slot.claimsSeen || slot.idleSinceNanos == 0) {
                slot.claimsSeen = claims;
                slot.idleSinceNanos = nowNanos;
            }
        }
    }

    /**
     * Retires the slots above {@code target} that are not claimed: first those without a
     * connection (waiting, then connecting), then idle ones not lent since
     * {@code idleBeforeNanos} (the longest idle first); the others leave as their owners give
     * them up, or later.
     *
     * @return the slots it retired, for the lifecycle to terminate
     */
    List<Slot<C>> retireExcess(int target, long idleBeforeNanos) {
        lock.lock();
        try {
            List<Slot<C>> retired = new ArrayList<>();
            int excess = live(slots) - target;
            for (SlotState state : new SlotState[] {SlotState.WAITING, SlotState.CONNECTING}) {
                for (Slot<C> slot : slots) {
                    if (excess > 0 && slot.state() == state && slot.retire()) {
                        retired.add(slot);
                        excess--;
                    }
                }
            }
            if (excess > 0) {
                retireIdle(excess, idleBeforeNanos, retired);
            }
            return retired;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Retires up to {@code count} idle slots unused since {@code idleBeforeNanos} or earlier,
     * the longest idle first; pass {@code Long.MAX_VALUE} to take any idle slot.
     *
     * @return how many it retired (they are added to {@code retired})
     */
    int retireIdle(int count, long idleBeforeNanos, List<Slot<C>> retired) {
        lock.lock();
        try {
            List<Slot<C>> idle = new ArrayList<>();
            for (Slot<C> slot : slots) {
                if (slot.state() == SlotState.IDLE && !slot.retired() && slot.idleSinceNanos - idleBeforeNanos <= 0) {
                    idle.add(slot);
                }
            }
            idle.sort((a, b) -> Long.compare(a.idleSinceNanos, b.idleSinceNanos));
            int done = 0;
            for (Slot<C> slot : idle) {
                if (done < count && slot.retire()) {
                    retired.add(slot);
                    done++;
                }
            }
            return done;
        } finally {
            lock.unlock();
        }
    }

    /** Slots not retired: those that will stay. */
    int liveSlots() {
        return live(slots);
    }

    private static int live(Slot<?>[] slots) {
        int live = 0;
        for (Slot<?> slot : slots) {
            if (!slot.retired()) {
                live++;
            }
        }
        return live;
    }

    /** Whether claims may be served from this backend. */
    boolean lending() {
        return !removed && !draining && !ejected;
    }

    boolean ejected() {
        return ejected;
    }

    /** Ejects or readmits the backend (outlier ejection); the pool decides. */
    void ejected(boolean ejected) {
        this.ejected = ejected;
        if (ejected) {
            ejections++;
        }
        consecutiveFailures.set(0);
    }

    /** Times ejected so far; the pool's ejection time doubles with each. */
    int ejections() {
        return ejections;
    }

    /**
     * A connection of this backend failed while it was online (a check, a recycle, an
     * {@code onAcquire}, an invalidation).
     *
     * @return the failures in a row now
     */
    int connectionFailed() {
        return consecutiveFailures.incrementAndGet();
    }

    /**
     * A claimer gave a connection back clean: the failures in a row end. Only a real use counts;
     * a check that passes does not, since a backend that accepts connections but never answers
     * passes socket checks between the application's timeouts. Cheap when there were none.
     */
    void connectionSucceeded() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
    }

    boolean draining() {
        return draining;
    }

    void draining(boolean draining) {
        this.draining = draining;
    }

    boolean removed() {
        return removed;
    }

    void markRemoved() {
        removed = true;
    }

    boolean online() {
        return connected.get() > 0;
    }

    /** A slot got a connection; true when this made the backend online (which clears its recent failures). */
    boolean connectionOpened() {
        failuresInARow.set(0);
        if (connected.incrementAndGet() != 1) {
            return false;
        }
        // Online again: old failures stop counting, so a restarted backend gets its share back at once.
        failures.clear();
        return true;
    }

    /** A slot lost its connection; true when this made the backend offline. */
    boolean connectionClosed(long nowNanos) {
        if (connected.decrementAndGet() != 0) {
            return false;
        }
        offlineSinceNanos = nowNanos;
        return true;
    }

    /**
     * Counts a failed connect or check.
     *
     * @return for a connect, the connect failures in a row with this one (slots of one backend
     *     fail concurrently, so only this value tells which failure began a run); 0 for a check
     */
    int recordFailure(long nowNanos, Throwable error, boolean connectFailure) {
        failures.record(nowNanos);
        lastFailure = new Failure(describe(error), nowNanos);
        if (!connectFailure) {
            checkFailures.increment();
            return 0;
        }
        connectFailures.increment();
        return failuresInARow.incrementAndGet();
    }

    /** Connect failures since the last successful connect. */
    int failuresInARow() {
        return failuresInARow.get();
    }

    /** Whether the backend counts as failing for the pool's {@code FAILED} state (see {@code PoolState.FAILED}). */
    boolean failing(long nowNanos) {
        int inARow = failuresInARow.get();
        return !online() && (inARow >= PoolState.FAILED_AFTER_CONSECUTIVE_FAILURES || inARow >= 1
                && nowNanos - offlineSinceNanos >= TimeUnit.MILLISECONDS.toNanos(PoolState.FAILED_AFTER_OFFLINE_MILLIS));
    }

    /** Asks the next rebalance to consider ejecting this backend; true if nobody asked yet. */
    boolean requestEjection() {
        return ejectionRequested.compareAndSet(false, true);
    }

    /** The rebalance takes the request. */
    boolean takeEjectionRequest() {
        return ejectionRequested.getAndSet(false);
    }

    int recentFailures(long nowNanos) {
        return failures.count(nowNanos);
    }

    /** The last failure seen on this backend, if any. */
    Optional<Failure> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /**
     * One failure, for messages.
     *
     * @param description {@code ExceptionType: message}
     * @param atNanos when, on the pool's clock
     */
    record Failure(String description, long atNanos) {
    }

    int claimedCount() {
        int claimed = 0;
        for (Slot<C> slot : slots) {
            if (slot.state() == SlotState.CLAIMED) {
                claimed++;
            }
        }
        return claimed;
    }

    BackendStats stats(long nowNanos) {
        int connecting = 0;
        int idle = 0;
        int checking = 0;
        int claimed = 0;
        for (Slot<C> slot : slots) {
            switch (slot.state()) {
                case WAITING, CONNECTING -> connecting++;
                case IDLE -> idle++;
                case RECYCLING, CHECKING -> checking++;
                case CLAIMED -> claimed++;
                case TERMINATED -> { }
            }
        }
        return new BackendStats(name, backend, online(), removed || draining, ejected, connecting, idle, checking, claimed,
                claims(), recentFailures(nowNanos), connectFailures.sum(), checkFailures.sum(),
                lastFailure().map(Failure::description));
    }

    /** {@code ExceptionType: message}, with what looks like a secret in the message masked. */
    static String describe(Throwable error) {
        String message = Secrets.mask(error.getMessage());
        String type = error.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }

    @Override
    public String toString() {
        return name; // the backend's one name, as in Handle.backend(), stats and health
    }
}
