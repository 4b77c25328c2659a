package dev.qorb.pool;

import dev.qorb.ClaimException;
import dev.qorb.Handle;
import dev.qorb.event.ClaimEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Claims that do not block the caller ({@link dev.qorb.Pool#claimAsync()}). A claim takes an
 * idle slot like a blocking one or queues an async waiter; the claim hooks run on the pool's
 * call lane; the future is completed on the callback executor, never on the pool's own
 * threads, so a slow continuation in one pool cannot hold the timers of another. A claim
 * served while {@code claimAsync()} is still running completes in the caller's thread.
 *
 * <p>Thread-safety: each claim's steps run one at a time (the queue, the lane and the retry
 * timer hand it on), but its deadline and the user's own completion of the future race with
 * them; the future's single completion decides, and a handle that loses is closed.
 *
 * @param <C> the connection type
 */
final class AsyncClaims<C> {

    private final Lending<C> lending;
    private final CallerHooks<C> callerHooks;
    private final Handles<C> handles;
    private final SlotLifecycle<C> lifecycle;
    private final ClaimFailures failures;
    private final Runnable wantGrowth;
    private final ConnectorCalls calls;
    private final ScheduledExecutorService scheduler;
    private final Executor callbacks;
    private final Clock clock;
    private final long hookBoundNanos;

    AsyncClaims(Lending<C> lending, CallerHooks<C> callerHooks, Handles<C> handles, SlotLifecycle<C> lifecycle,
            ClaimFailures failures, Runnable wantGrowth, ConnectorCalls calls, ScheduledExecutorService scheduler,
            Executor callbacks, Clock clock, long hookBoundNanos) {
        this.lending = lending;
        this.callerHooks = callerHooks;
        this.handles = handles;
        this.lifecycle = lifecycle;
        this.failures = failures;
        this.wantGrowth = wantGrowth;
        this.calls = calls;
        this.scheduler = scheduler;
        this.callbacks = callbacks;
        this.clock = clock;
        this.hookBoundNanos = hookBoundNanos;
    }

    CompletableFuture<Handle<C>> claim(long timeoutNanos) {
        Claim claim = new Claim(timeoutNanos);
        claim.attempt(false);
        claim.callerReturned = true;
        return claim.result;
    }

    /** One async claim on its way. */
    private final class Claim {
        final CompletableFuture<Handle<C>> result = new CompletableFuture<>();
        final ClaimEvent event = new ClaimEvent();
        final Thread caller = Thread.currentThread();
        final long start = clock.nanoTime();
        final long deadline;
        /** Whether CoDel's bound on waiting (see Policy.targetClaimDelay) set the deadline, not the timeout. */
        final boolean boundByDelay;
        final ScheduledFuture<?> deadlineTimer;
        /** Set once {@code claimAsync()} returned: completions then go to the callback executor. */
        volatile boolean callerReturned;
        /** The waiter in the queue now, if any; withdrawn when the future completes, however. */
        volatile Waiter<C> waiter;
        /** Set once, by the first failure decided: the claim fails once, however many steps find it failed. */
        final AtomicBoolean failed = new AtomicBoolean();
        /** Rejections by the claim hooks so far, and the last; written by one step at a time. */
        int rejections;
        Throwable lastRejection;

        Claim(long timeoutNanos) {
            event.begin();
            long delayBound = lending.queue().maxWaitNanos(start);
            boundByDelay = delayBound < timeoutNanos;
            long waitNanos = Math.min(timeoutNanos, delayBound);
            deadline = start + waitNanos;
            deadlineTimer = scheduler.schedule(this::deadlinePassed, waitNanos, TimeUnit.NANOSECONDS);
            result.whenComplete((handle, error) -> {
                deadlineTimer.cancel(false);
                Waiter<C> queued = waiter;
                if (queued != null) {
                    lending.queue().withdraw(queued);
                }
            });
        }

        void attempt(boolean retry) {
            if (result.isDone()) {
                return;
            }
            Slot<C> slot = lending.takeIdle();
            if (slot != null) {
                prepare(slot);
                return;
            }
            ClaimException refused = failures.refusing();
            if (refused != null) {
                fail(refused);
                return;
            }
            Waiter<C> queued = Waiter.async(this::settled, clock.nanoTime());
            waiter = queued;
            if (!lending.queue().enqueue(queued, retry)) {
                waiter = null;
                fail(failures.tooManyWaiters());
                return;
            }
            wantGrowth.run();
            if (result.isDone()) {
                lending.queue().withdraw(queued); // completed before the waiter was visible to whenComplete
            }
            Slot<C> found = lending.takeIdle();
            if (found != null) {
                if (!lending.queue().withdraw(queued)) {
                    lifecycle.lend(found);
                } else if (lending.queue().shedOnLeaving(queued, clock.nanoTime())) {
                    lifecycle.lend(found);
                    fail(failures.shed(clock.nanoTime() - queued.enqueuedAtNanos));
                } else {
                    prepare(found);
                }
            }
        }

        /** The queue's outcome for our waiter; on the serving thread, so no user code runs here. */
        @SuppressWarnings("unchecked")
        void settled(Object outcome) {
            waiter = null;
            if (outcome instanceof ClaimException failure) {
                fail(failure);
            } else {
                prepare((Slot<C>) outcome);
            }
        }

        /** Runs the claim hooks, if any, on the pool's call lane; then hands the slot out. */
        void prepare(Slot<C> slot) {
            if (result.isDone()) {
                lifecycle.lend(slot);
                return;
            }
            if (!callerHooks.claimRunsHooks()) {
                complete(slot);
                return;
            }
            long left = deadline - clock.nanoTime();
            calls.submit("onAcquire on " + slot, Math.max(left, 0) + 2 * hookBoundNanos, () -> callerHooks.acquire(slot),
                    new ConnectorCalls.Outcome<Throwable>() {
                        @Override
                        public void completed(Throwable rejected, Throwable error) {
                            acquired(slot, error != null ? error : rejected);
                        }

                        @Override
                        public void timedOut(TimeoutException timeout, boolean stillRunning) {
                            if (!stillRunning) {
                                lifecycle.lend(slot); // never started: the slot is still ours
                                fail(failures.reason(clock.nanoTime() - start));
                            }
                        }

                        @Override
                        public void returnedLate(Throwable rejected, Throwable error) {
                            acquired(slot, error != null ? error : rejected);
                        }
                    });
        }

        private void acquired(Slot<C> slot, Throwable rejected) {
            if (rejected == null) {
                complete(slot);
                return;
            }
            rejections++;
            lastRejection = rejected;
            long left = deadline - clock.nanoTime();
            if (left <= 0) {
                fail(failures.acquireFailed(clock.nanoTime() - start, rejections, rejected));
            } else {
                scheduler.schedule(() -> attempt(true), Math.min(lifecycle.retryDelayNanos(rejections), left),
                        TimeUnit.NANOSECONDS);
            }
        }

        private void deadlinePassed() {
            if (!result.isDone()) {
                long waited = clock.nanoTime() - start;
                fail(rejections > 0 ? failures.acquireFailed(waited, rejections, lastRejection)
                        : boundByDelay ? failures.waitedPastDelayBound(waited, deadline - start)
                        : failures.reason(waited));
            }
        }

        private void complete(Slot<C> slot) {
            SlotHandle<C> handle = handles.handOut(slot, event, clock.nanoTime() - start);
            deliver(() -> {
                if (!result.complete(handle)) {
                    handle.close();
                }
            });
        }

        /** Counted when decided, not when the callback executor gets to it, so stats are current at the deadline. */
        private void fail(ClaimException failure) {
            if (result.isDone() || !failed.compareAndSet(false, true)) {
                return;
            }
            handles.failed(event, failure, clock.nanoTime() - start);
            deliver(() -> result.completeExceptionally(failure));
        }

        private void deliver(Runnable completion) {
            if (!callerReturned && Thread.currentThread() == caller) {
                completion.run();
                return;
            }
            try {
                callbacks.execute(completion);
            } catch (RejectedExecutionException e) {
                completion.run();
            }
        }
    }
}
