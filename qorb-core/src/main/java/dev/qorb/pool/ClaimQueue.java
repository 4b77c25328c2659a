package dev.qorb.pool;

import dev.qorb.ClaimException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Claims waiting for a connection, served first come, first served.
 *
 * <p>Thread-safety: lock-free. A slot coming free is offered here by its owner before it
 * becomes idle, so waiters are served ahead of claimers arriving later.
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

    private final ConcurrentLinkedDeque<Waiter<C>> waiters = new ConcurrentLinkedDeque<>();
    private final AtomicInteger waiting = new AtomicInteger();

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
        return true;
    }

    /**
     * Hands a slot that has just come free to the oldest waiter, or else makes it idle. The
     * caller owns the slot and has checked that it may be lent.
     */
    void offer(Slot<C> slot) {
        for (;;) {
            Waiter<C> waiter;
            while (waiting.get() > 0 && (waiter = waiters.pollFirst()) != null) {
                waiting.decrementAndGet();
                slot.moveTo(SlotState.CLAIMED);
                if (waiter.serve(slot)) {
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
