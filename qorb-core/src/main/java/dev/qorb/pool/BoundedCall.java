package dev.qorb.pool;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One call of user code (a connector hook) with a time bound. When the bound passes first,
 * the call is abandoned: its thread is interrupted, {@link Outcome#timedOut} runs (typically
 * closing the connection, which unblocks socket I/O), and whatever the call returns later
 * goes to the late-result consumer (which closes it) instead of the outcome.
 *
 * <p>Thread-safety: the state word decides by CAS which of "the call returned" and "the
 * bound passed" happened first; exactly one of {@link Outcome#completed} and
 * {@link Outcome#timedOut} runs, once.
 * <p>Invariants: the interrupt meant for a timed-out call never reaches another task of the
 * same thread: the timeout side interrupts only while the state is {@code INTERRUPTING},
 * and the calling side, having lost the race, waits for {@code TIMED_OUT} before it clears
 * its interrupt flag and moves on.
 *
 * @param <T> what the call returns
 */
final class BoundedCall<T> {

    /** What happens after the call. */
    interface Outcome<T> {
        /** The call returned {@code value} or threw {@code error} within the bound; runs on the calling thread. */
        void completed(T value, Throwable error);

        /** The bound passed first; runs on the scheduler thread, so it must not block. */
        void timedOut(TimeoutException timeout);
    }

    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int INTERRUPTING = 2;
    private static final int TIMED_OUT = 3;

    private final AtomicInteger state = new AtomicInteger(RUNNING);
    /** The thread running the body: the one that constructs the call. */
    private final Thread caller = Thread.currentThread();
    /** Filled in by {@link #invoke}, read by the same thread after it. */
    private T value;
    private Throwable error;
    private boolean inTime;
    private TimeoutException timeout;

    private BoundedCall() {
    }

    /**
     * Runs {@code body} on {@code executor}, bounded from when it starts. If the executor
     * refuses the task, the outcome completes with that error.
     */
    static <T> void submit(Executor executor, ScheduledExecutorService scheduler, long timeoutNanos,
            Callable<T> body, Outcome<T> outcome, Consumer<T> lateResult) {
        try {
            executor.execute(() -> {
                BoundedCall<T> call = new BoundedCall<>();
                call.invoke(scheduler, timeoutNanos, body, outcome);
                if (call.inTime) {
                    outcome.completed(call.value, call.error);
                } else if (call.value != null) {
                    lateResult.accept(call.value);
                }
            });
        } catch (RejectedExecutionException e) {
            outcome.completed(null, e);
        }
    }

    /**
     * Runs {@code body} on the calling thread, bounded: returns {@code null} when it returned
     * in time, else what it threw or a {@link TimeoutException}.
     */
    static Throwable runHere(ScheduledExecutorService scheduler, long timeoutNanos, Callable<?> body) {
        BoundedCall<Object> call = new BoundedCall<>();
        call.invoke(scheduler, timeoutNanos, body, null);
        return call.inTime ? call.error : call.timeout;
    }

    private void invoke(ScheduledExecutorService scheduler, long timeoutNanos, Callable<? extends T> body,
            Outcome<T> outcome) {
        timeout = new TimeoutException("did not return within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        ScheduledFuture<?> timer = scheduler.schedule(() -> expire(outcome), timeoutNanos, TimeUnit.NANOSECONDS);
        try {
            value = body.call();
        } catch (Throwable t) {
            error = t;
        }
        inTime = state.compareAndSet(RUNNING, DONE);
        if (inTime) {
            timer.cancel(false);
            return;
        }
        // The timeout side holds INTERRUPTING only across one Thread.interrupt() call.
        while (state.get() == INTERRUPTING) {
            Thread.onSpinWait();
        }
        Thread.interrupted();
    }

    private void expire(Outcome<T> outcome) {
        if (!state.compareAndSet(RUNNING, INTERRUPTING)) {
            return;
        }
        caller.interrupt();
        state.set(TIMED_OUT);
        if (outcome != null) {
            outcome.timedOut(timeout);
        }
    }
}
