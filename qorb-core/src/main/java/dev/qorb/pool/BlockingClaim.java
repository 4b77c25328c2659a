package dev.qorb.pool;

import dev.qorb.ClaimException;
import dev.qorb.Handle;
import dev.qorb.event.ClaimEvent;
import java.util.concurrent.locks.LockSupport;

/**
 * The blocking claim. Fast case, in the caller's thread with no lock and no hand-off: take an
 * idle slot by CAS, run the connector's claim hooks if it has any, hand it out. Otherwise wait
 * in the {@link ClaimQueue} until a slot is handed over or the caller's turn comes to take an
 * idle one, the deadline passes, the pool fails or closes, or the thread is interrupted.
 * A claim whose hooks rejected a connection tries another after a backoff, keeping its
 * deadline and, in the queue, its place at the front.
 *
 * <p>Thread-safety: one instance serves every claimer; all state is on the caller's stack.
 *
 * @param <C> the connection type
 */
final class BlockingClaim<C> {

    /**
     * How many times a waiter yields its processor, looking for an idle slot or its outcome
     * after each, before it parks. A parked thread must be woken by another, which on a busy
     * machine often means an interrupt to the other core; a thread that yields stays runnable,
     * so a slot handed to it or freed meanwhile is taken without one. Measured on 2 cores, 32
     * threads over 16 PostgreSQL connections: 1.6 times the throughput (with 8; 4 and 16 did
     * less well), and no change for trivial claims (issues 13 and 15).
     */
    static final int YIELDS_BEFORE_PARK = 8;

    private final Lending<C> lending;
    private final CallerHooks<C> callerHooks;
    private final Handles<C> handles;
    private final SlotLifecycle<C> lifecycle;
    private final ClaimFailures failures;
    private final Runnable wantGrowth;
    private final Clock clock;

    BlockingClaim(Lending<C> lending, CallerHooks<C> callerHooks, Handles<C> handles, SlotLifecycle<C> lifecycle,
            ClaimFailures failures, Runnable wantGrowth, Clock clock) {
        this.lending = lending;
        this.callerHooks = callerHooks;
        this.handles = handles;
        this.lifecycle = lifecycle;
        this.failures = failures;
        this.wantGrowth = wantGrowth;
        this.clock = clock;
    }

    Handle<C> claim(long timeoutNanos) {
        ClaimEvent event = new ClaimEvent();
        event.begin();
        // The clock is read only off the fast path: System.nanoTime() costs about as much as a claim.
        Slot<C> slot = lending.takeIdle();
        if (slot == null) {
            return slowly(timeoutNanos, event, 0, null);
        }
        Throwable rejected = callerHooks.acquire(slot);
        return rejected == null ? handles.handOut(slot, event, 0) : slowly(timeoutNanos, event, 1, rejected);
    }

    /** After an empty scan or a rejected connection: with a deadline, retries and the queue. */
    private Handle<C> slowly(long timeoutNanos, ClaimEvent event, int rejections, Throwable lastRejection) {
        long start = clock.nanoTime();
        // With a target claim delay, CoDel may bound the wait below the claim's own timeout.
        long delayBound = lending.queue().maxWaitNanos(start);
        long deadline = start + Math.min(timeoutNanos, delayBound);
        boolean boundByDelay = delayBound < timeoutNanos;
        for (;;) {
            if (Thread.currentThread().isInterrupted()) {
                throw handles.failed(event, failures.interrupted(), clock.nanoTime() - start);
            }
            if (rejections > 0) {
                long left = deadline - clock.nanoTime();
                if (left <= 0) {
                    long waited = clock.nanoTime() - start;
                    throw handles.failed(event, failures.acquireFailed(waited, rejections, lastRejection), waited);
                }
                // Back off as connects do, so that a connector whose onAcquire keeps failing is not spun on.
                LockSupport.parkNanos(Math.min(lifecycle.retryDelayNanos(rejections), left));
                if (Thread.currentThread().isInterrupted()) {
                    throw handles.failed(event, failures.interrupted(), clock.nanoTime() - start);
                }
            }
            Slot<C> slot = lending.takeIdle();
            if (slot == null) {
                slot = await(start, deadline, boundByDelay, rejections > 0, event);
            }
            Throwable rejected = callerHooks.acquire(slot);
            if (rejected == null) {
                return handles.handOut(slot, event, clock.nanoTime() - start);
            }
            rejections++;
            lastRejection = rejected;
        }
    }

    /**
     * Queues, then parks until served, failed, the deadline or an interrupt; each time the
     * queue wakes this waiter for an idle slot, tries to take it.
     */
    @SuppressWarnings("unchecked")
    private Slot<C> await(long start, long deadline, boolean boundByDelay, boolean retry, ClaimEvent event) {
        refuseNow(event, start);
        ClaimQueue<C> queue = lending.queue();
        Waiter<C> waiter = Waiter.blocking(clock.nanoTime());
        if (!queue.enqueue(waiter, retry)) {
            throw handles.failed(event, failures.tooManyWaiters(), clock.nanoTime() - start);
        }
        wantGrowth.run();
        if (failures.refusing() != null && queue.withdraw(waiter)) {
            refuseNow(event, start);
        }
        Object outcome = null;
        while (outcome == null) {
            waiter.lastLook();
            Slot<C> found = lending.takeIdle();
            for (int i = 0; found == null && i < YIELDS_BEFORE_PARK && (outcome = waiter.outcome()) == null; i++) {
                Thread.yield();
                found = lending.takeIdle();
            }
            if (found != null) {
                if (queue.withdraw(waiter)) {
                    long now = clock.nanoTime();
                    if (queue.shedOnLeaving(waiter, now)) {
                        lifecycle.lend(found);
                        throw handles.failed(event, failures.shed(now - waiter.enqueuedAtNanos), now - start);
                    }
                    return found;
                }
                lifecycle.lend(found); // served meanwhile: the slot found goes back
                outcome = waiter.outcome();
                break;
            }
            if (outcome == null) {
                outcome = waiter.park(deadline, clock);
            }
            boolean interrupted = Thread.currentThread().isInterrupted();
            if (outcome == null && (interrupted || deadline - clock.nanoTime() <= 0)) {
                if (queue.withdraw(waiter)) {
                    long waited = clock.nanoTime() - start;
                    throw handles.failed(event, interrupted ? failures.interrupted()
                            : boundByDelay ? failures.waitedPastDelayBound(waited, deadline - start)
                            : failures.reason(waited), waited);
                }
                outcome = waiter.outcome();
            }
        }
        if (outcome instanceof ClaimException failure) {
            throw handles.failed(event, failure, clock.nanoTime() - start);
        }
        return (Slot<C>) outcome;
    }

    /** Throws at once when waiting cannot help: the pool is closed or has failed. */
    private void refuseNow(ClaimEvent event, long start) {
        ClaimException refused = failures.refusing();
        if (refused != null) {
            throw handles.failed(event, refused, clock.nanoTime() - start);
        }
    }
}
