package dev.qorb.pool;

import dev.qorb.ClaimException;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One claim waiting in the {@link ClaimQueue}: a blocked thread, or an async claim's
 * continuation.
 *
 * <p>Thread-safety: the outcome is set at most once, by CAS from {@code null}: to a slot
 * (served, by whoever offers a free slot), to a {@link ClaimException} (failed, when the pool
 * closes or fails), or to {@link #WITHDRAWN} (by the claimer itself, on deadline, interrupt
 * or cancellation). Whoever wins the CAS owns what it implies: a served slot belongs to the
 * claimer; a withdrawn waiter is the claimer's to fail.
 *
 * @param <C> the connection type
 */
final class Waiter<C> {

    private static final Object WITHDRAWN = new Object();

    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<Waiter, Object> OUTCOME =
            AtomicReferenceFieldUpdater.newUpdater(Waiter.class, Object.class, "outcome");

    /** The blocked claimer, or {@code null} for an async claim. */
    private final Thread thread;
    /** When the claim started waiting, on the pool's clock; the claim queue hands slots to old waiters. */
    final long enqueuedAtNanos;
    /** The async claim's continuation, given the slot or the ClaimException; {@code null} for a blocked claimer. */
    private final Consumer<Object> continuation;
    /** See the class comment. */
    private volatile Object outcome;
    /**
     * Whether the blocked claimer is awake and looking for an idle slot, so that a nudge needs no
     * unpark. Written false by the claimer before its last look, true by a nudge.
     */
    private volatile boolean looking = true;

    private Waiter(Thread thread, Consumer<Object> continuation, long enqueuedAtNanos) {
        this.thread = thread;
        this.continuation = continuation;
        this.enqueuedAtNanos = enqueuedAtNanos;
    }

    /** A waiter for the calling thread, which will {@link #park}. */
    static <C> Waiter<C> blocking(long nowNanos) {
        return new Waiter<>(Thread.currentThread(), null, nowNanos);
    }

    /** A waiter whose outcome (a slot or a ClaimException) is passed to {@code continuation} by the thread that sets it. */
    static <C> Waiter<C> async(Consumer<Object> continuation, long nowNanos) {
        return new Waiter<>(null, continuation, nowNanos);
    }

    /** Whether a thread is parked on this waiter (else it is an async claim's continuation). */
    boolean blocking() {
        return thread != null;
    }

    /** Wakes a blocked claimer so that it looks for an idle slot itself, unless it is already looking. */
    void nudge() {
        if (thread != null && !looking) {
            looking = true;
            LockSupport.unpark(thread);
        }
    }

    /**
     * The claimer is about to take its last look for an idle slot before parking. With
     * {@link Lending#offer}'s "slot idle, then read {@code looking}" this is a Dekker pair:
     * either the nudge unparks the claimer or its last look finds the slot.
     */
    void lastLook() {
        looking = false;
    }

    /** Hands {@code slot} to this waiter; false if it already has an outcome. */
    boolean serve(Slot<C> slot) {
        return settle(slot);
    }

    /** Fails this waiter; false if it already has an outcome. */
    boolean fail(ClaimException failure) {
        return settle(failure);
    }

    /** The claimer gives up waiting; false if an outcome came first (then {@link #outcome()} has it). */
    boolean withdraw() {
        return OUTCOME.compareAndSet(this, null, WITHDRAWN);
    }

    private boolean settle(Object result) {
        if (!OUTCOME.compareAndSet(this, null, result)) {
            return false;
        }
        if (thread != null) {
            LockSupport.unpark(thread);
        } else {
            continuation.accept(result);
        }
        return true;
    }

    /**
     * Parks the claiming thread once: until an outcome arrives, it is nudged, the deadline
     * passes or it is interrupted (its flag stays set), or spuriously.
     *
     * @return the slot or ClaimException, or {@code null} when there is none yet
     */
    Object park(long deadlineNanos, Clock clock) {
        Object result = outcome;
        if (result != null) {
            return result;
        }
        long remaining = deadlineNanos - clock.nanoTime();
        if (remaining > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(this, remaining);
        }
        return outcome;
    }

    /** The slot or ClaimException this waiter got; meaningful after {@link #withdraw()} failed. */
    Object outcome() {
        return outcome;
    }
}
