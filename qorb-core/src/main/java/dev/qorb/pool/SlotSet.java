package dev.qorb.pool;

import dev.qorb.Backend;
import dev.qorb.BackendStats;
import dev.qorb.Secrets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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
    private final AtomicInteger connected = new AtomicInteger();
    /** Connect failures since the last successful connect to this backend. */
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private final FailureWindow failures;
    /** Written by the driver on each failure; read for stats and claim errors. */
    private volatile Failure lastFailure;
    private final LongAdder claims = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();
    private final LongAdder checkFailures = new LongAdder();

    SlotSet(String name, Backend backend, long failureWindowNanos) {
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
            if (slot.state() == SlotState.IDLE && slot.idleToClaimed()) {
                return slot;
            }
        }
        return null;
    }

    /** Whether any slot is idle; stops at the first, so it is cheap while idle slots are plenty. */
    boolean hasIdle() {
        for (Slot<C> slot : slots) {
            if (slot.state() == SlotState.IDLE) {
                return true;
            }
        }
        return false;
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

    /** Removes a terminated slot. */
    void removeSlot(Slot<C> slot) {
        lock.lock();
        try {
            Slot<C>[] current = slots;
            for (int i = 0; i < current.length; i++) {
                if (current[i] == slot) {
                    Slot<C>[] next = Arrays.copyOf(current, current.length - 1);
                    System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                    slots = next;
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

    /** Counts one claim served from this backend. */
    void countClaim() {
        claims.increment();
    }

    long claims() {
        return claims.sum();
    }

    /**
     * Decides whether a slot that came free should leave instead of being lent again (the
     * backend is gone or drained, or has more slots than its target), and if so retires it.
     * Cheap when the set is at or below its target, which is the common case on release.
     *
     * @return whether the slot is now retired
     */
    boolean retireIfUnwanted(Slot<C> slot) {
        if (removed || draining) {
            slot.retire();
            return true;
        }
        if (slots.length <= target) {
            return false;
        }
        lock.lock();
        try {
            return live(slots) > target && slot.retire();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Retires the slots above {@code target} that are not claimed, those without a
     * connection first, then idle ones; claimed slots leave as they return.
     *
     * @return the slots it retired, for the driver to stop
     */
    List<Slot<C>> retireExcess(int target) {
        lock.lock();
        try {
            List<Slot<C>> retired = new ArrayList<>();
            int excess = live(slots) - target;
            for (SlotState state : new SlotState[] {SlotState.CONNECTING, SlotState.IDLE}) {
                for (Slot<C> slot : slots) {
                    if (excess > 0 && slot.state() == state && slot.retire()) {
                        retired.add(slot);
                        excess--;
                    }
                }
            }
            return retired;
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
        return !removed && !draining;
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

    /** A slot got a connection; true when this made the backend online. */
    boolean connectionOpened() {
        failuresInARow.set(0);
        return connected.incrementAndGet() == 1;
    }

    /** A slot lost its connection; true when this made the backend offline. */
    boolean connectionClosed() {
        return connected.decrementAndGet() == 0;
    }

    void recordFailure(long nowNanos, Throwable error, boolean connectFailure) {
        failures.record(nowNanos);
        lastFailure = new Failure(describe(error), nowNanos);
        if (connectFailure) {
            failuresInARow.incrementAndGet();
            connectFailures.increment();
        } else {
            checkFailures.increment();
        }
    }

    /** Connect failures since the last successful connect. */
    int failuresInARow() {
        return failuresInARow.get();
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
                case CONNECTING -> connecting++;
                case IDLE -> idle++;
                case RECYCLING, CHECKING -> checking++;
                case CLAIMED -> claimed++;
                case TERMINATED -> { }
            }
        }
        return new BackendStats(name, backend, online(), removed || draining, connecting, idle, checking, claimed,
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
        return name.equals(backend.toString()) ? name : name + " (" + backend + ")";
    }
}
