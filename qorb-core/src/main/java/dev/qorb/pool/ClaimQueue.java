package dev.qorb.pool;

import dev.qorb.ClaimException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Claims waiting for a connection, in arrival order; {@link Lending} serves them.
 *
 * <p>Thread-safety: lock-free.
 * <p>Invariants: {@code waiting} counts the waiters in {@code waiters}; it is incremented
 * after a waiter is added and decremented by whoever removes it (the server, or the claimer
 * withdrawing it), exactly once.
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

    Waiter<C> head() {
        return waiters.peekFirst();
    }

    /** Takes {@code waiter} out to serve it; false if someone else took it first. */
    boolean remove(Waiter<C> waiter) {
        if (!waiters.remove(waiter)) {
            return false;
        }
        waiting.decrementAndGet();
        return true;
    }

    /** The claimer gives up; false if the waiter was served or failed first. */
    boolean withdraw(Waiter<C> waiter) {
        if (!waiter.withdraw()) {
            return false;
        }
        remove(waiter);
        // It may have been nudged for an idle slot it will not take now: pass the nudge on.
        Waiter<C> next = waiters.peekFirst();
        if (next != null) {
            next.nudge();
        }
        return true;
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
