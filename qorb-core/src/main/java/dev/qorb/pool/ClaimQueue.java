package dev.qorb.pool;

import dev.qorb.ClaimException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Claims waiting for a connection, in arrival order; {@link Lending} serves them. The queue is
 * bounded by {@link dev.qorb.Policy#maxWaiters()} and, when
 * {@link dev.qorb.Policy#targetClaimDelay()} is set, managed by CoDel ({@link ClaimDelay}).
 *
 * <p>Thread-safety: lock-free ({@link ClaimDelay} locks, on the slow path only).
 * <p>Invariants: {@code waiting} counts the waiters in {@code waiters}; it is incremented
 * after a waiter is added and decremented by whoever removes it (the server, or the claimer
 * withdrawing it), exactly once. A waiter whose increment took {@code waiting} above
 * {@code maxWaiters} withdraws at once, so no more than {@code maxWaiters} new claims stay
 * queued (claims retried at the front are not counted against it).
 *
 * @param <C> the connection type
 */
final class ClaimQueue<C> {

    private final ConcurrentLinkedDeque<Waiter<C>> waiters = new ConcurrentLinkedDeque<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final int maxWaiters;
    /** CoDel over this queue, or {@code null} when no target claim delay is set. */
    private final ClaimDelay delay;

    ClaimQueue(int maxWaiters, ClaimDelay delay) {
        this.maxWaiters = maxWaiters;
        this.delay = delay;
    }

    /** Claims waiting now. */
    int waiting() {
        return waiting.get();
    }

    /**
     * Adds a waiter at the back, or at the front for a claim that already waited its turn
     * and lost the connection it got (its {@code onAcquire} failed).
     *
     * @return false when the claim may not wait: {@code maxWaiters} claims are waiting already.
     *     The waiter is not in the queue then
     */
    boolean enqueue(Waiter<C> waiter, boolean front) {
        if (front) {
            waiters.addFirst(waiter);
            waiting.incrementAndGet();
            return true;
        }
        if (waiting.get() >= maxWaiters) {
            return false;
        }
        waiters.addLast(waiter);
        // Served meanwhile, the waiter has a connection: then it stays "queued" and takes it.
        return waiting.incrementAndGet() <= maxWaiters || !withdraw(waiter);
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

    /** The longest a claim that starts waiting {@code now} may wait under CoDel; {@code Long.MAX_VALUE} without it. */
    long maxWaitNanos(long now) {
        return delay == null ? Long.MAX_VALUE : delay.maxWaitNanos(now);
    }

    /** A judgement of the waiters one free connection meets (see {@link ClaimDelay}), or {@code null} without CoDel. */
    ClaimDelay.Round round(long now) {
        return delay == null ? null : delay.round(now);
    }

    /** Whether CoDel sheds a waiter that leaves the queue now by taking an idle connection itself. */
    boolean shedOnLeaving(Waiter<C> waiter, long now) {
        return delay != null && delay.shed(now - waiter.enqueuedAtNanos, now);
    }

    /** A connection came free and found no waiter. */
    void emptyOnRelease() {
        if (delay != null) {
            delay.queueEmpty();
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
