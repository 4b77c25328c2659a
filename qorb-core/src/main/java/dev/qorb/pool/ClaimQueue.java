package dev.qorb.pool;

import dev.qorb.ClaimException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Claims waiting for a connection, served in arrival order.
 *
 * <p>How a slot coming free is lent: to the oldest waiter directly when that waiter is an
 * async claim or has waited {@link #HANDOFF_AFTER_NANOS} or more; otherwise it becomes idle
 * and the oldest waiter is woken to compete for it with the threads already running. Handing
 * every slot to a parked thread would force a thread switch per claim whenever claimers
 * outnumber slots (measured: 40 times slower than letting a running thread claim again); the
 * handoff after 1 ms bounds how long a waiter can lose that race.
 *
 * <p>Thread-safety: lock-free. A slot coming free is offered here by its owner before it
 * becomes idle.
 * <p>Invariants: {@code waiting} counts the waiters in {@code waiters}; it is incremented
 * after a waiter is added and decremented by whoever removes it (the server polling it, or
 * the claimer withdrawing it), exactly once. No slot is left idle while a waiter that was
 * counted before the slot became idle waits: {@link #offer} re-reads the count after
 * publishing the slot as idle, and a claimer re-scans for idle slots after counting itself
 * (a Dekker pair of volatile writes and reads, so at least one of them sees the other).
 *
 * @param <C> the connection type
 */
final class ClaimQueue<C> {

    /** A waiter this old is handed the next slot that comes free. */
    static final long HANDOFF_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ConcurrentLinkedDeque<Waiter<C>> waiters = new ConcurrentLinkedDeque<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Clock clock;

    ClaimQueue(Clock clock) {
        this.clock = clock;
    }

    /** Claims waiting now. */
    int waiting() {
        return waiting.get();
    }

    /**
     * Adds a waiter at the back, or at the front for a claim that already waited its turn
     * and lost the connection it got (its {@code onAcquire} failed).
     */
    void enqueue(Waiter<C> waiter, boolean front) {
        if (front) {
            waiters.addFirst(waiter);
        } else {
            waiters.addLast(waiter);
        }
        waiting.incrementAndGet();
    }

    /** The claimer gives up; false if the waiter was served or failed first. */
    boolean withdraw(Waiter<C> waiter) {
        if (!waiter.withdraw()) {
            return false;
        }
        if (waiters.remove(waiter)) {
            waiting.decrementAndGet();
        }
        // It may have been nudged for an idle slot it will not take now: pass the nudge on.
        Waiter<C> next = waiters.peekFirst();
        if (next != null) {
            next.nudge();
        }
        return true;
    }

    /**
     * Lends a slot that has just come free (see the class comment for to whom). The caller
     * owns the slot and has checked that it may be lent.
     */
    void offer(Slot<C> slot) {
        for (;;) {
            Waiter<C> head;
            while (waiting.get() > 0 && (head = waiters.peekFirst()) != null) {
                if (head.blocking() && clock.nanoTime() - head.enqueuedAtNanos < HANDOFF_AFTER_NANOS) {
                    slot.moveTo(SlotState.IDLE);
                    head.nudge();
                    return;
                }
                if (!waiters.remove(head)) {
                    continue; // withdrawn or served meanwhile
                }
                waiting.decrementAndGet();
                slot.moveTo(SlotState.CLAIMED);
                if (head.serve(slot)) {
                    return;
                }
            }
            slot.moveTo(SlotState.IDLE);
            // A claimer may have counted itself after our read above and missed the idle slot.
            if (waiting.get() == 0 || !slot.idleToClaimed()) {
                return;
            }
        }
    }

    /** Fails every waiter now in the queue with a fresh exception from {@code failure}. */
    void failAll(Supplier<ClaimException> failure) {
        Waiter<C> waiter;
        while ((waiter = waiters.pollFirst()) != null) {
            waiting.decrementAndGet();
            waiter.fail(failure.get());
        }
    }
}
