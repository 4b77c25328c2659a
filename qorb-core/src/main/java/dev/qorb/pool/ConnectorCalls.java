package dev.qorb.pool;

import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lane of a pool's background connector calls ({@code connect}, {@code isValid},
 * {@code onRecycle}; or, in the pool's second lane, {@code close}): at most {@code maxCalls}
 * in flight at once, the rest queued in arrival order, each bounded in time: connects and
 * checks from when they were submitted, so time spent queued counts; closes from when they
 * start, since a close that never runs would leak its connection.
 *
 * <p>How a hung hook is contained: a call past its bound is abandoned (its thread interrupted)
 * but keeps its place in the lane until it really returns, so a hook that ignores interrupts
 * can hold at most this lane's {@code maxCalls} threads, all of them its own pool's. The
 * shared workers grow by one for each abandoned call while it runs ({@link Compensation}), so
 * other pools keep their threads.
 *
 * <p>Thread-safety: lock-free. Each call's state word decides by CAS between "returned" and
 * "bound passed"; exactly one of {@link Outcome#completed} and {@link Outcome#timedOut} runs,
 * once, and {@link Outcome#returnedLate} runs only after {@code timedOut(true)} returned.
 * <p>Invariants: {@code inFlight} counts the calls dispatched to the executor and not yet
 * finished, never above {@code maxCalls}; a call dispatched always releases its place in a
 * {@code finally}, whatever the hook or the outcome throws.
 */
final class ConnectorCalls {

    /** What happens after a call. Implementations must not block in {@link #timedOut}. */
    interface Outcome<T> {
        /** The call returned {@code value} or threw {@code error} within its bound; on the worker. */
        void completed(T value, Throwable error);

        /**
         * The bound passed first; on the scheduler.
         *
         * @param stillRunning whether the hook is running (abandoned; {@link #returnedLate}
         *     follows when it returns) or never started (nothing follows)
         */
        void timedOut(TimeoutException timeout, boolean stillRunning);

        /** An abandoned call returned at last; on the worker. */
        void returnedLate(T value, Throwable error);
    }

    /** Grows the executor while an abandoned call holds one of its threads. */
    interface Compensation {
        Compensation NONE = delta -> { };

        void adjust(int delta);
    }

    private static final Logger log = LoggerFactory.getLogger(ConnectorCalls.class);

    private final String pool;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final Compensation compensation;
    private final Clock clock;
    private final int maxCalls;
    /**
     * Whether a call's bound runs from its submission (connects and checks: a call that waited
     * its whole bound in the queue is never started) or from its start (closes: a connection
     * must be closed however long its close waited, or it would leak).
     */
    private final boolean boundFromSubmission;
    /** Calls not yet dispatched; polled by whoever takes a free place. */
    private final ConcurrentLinkedQueue<Call<?>> queued = new ConcurrentLinkedQueue<>();
    /** See the class invariants. */
    private final AtomicInteger inFlight = new AtomicInteger();

    ConnectorCalls(String pool, Executor executor, ScheduledExecutorService scheduler, Compensation compensation,
            Clock clock, int maxCalls, boolean boundFromSubmission) {
        this.boundFromSubmission = boundFromSubmission;
        this.pool = pool;
        this.executor = executor;
        this.scheduler = scheduler;
        this.compensation = compensation;
        this.clock = clock;
        this.maxCalls = maxCalls;
    }

    /** Calls running now, abandoned ones included. */
    int inFlight() {
        return inFlight.get();
    }

    /** Queues {@code hook} with a bound of {@code timeoutNanos} from now. */
    <T> void submit(String what, long timeoutNanos, Callable<T> hook, Outcome<T> outcome) {
        Call<T> call = new Call<>(what, hook, outcome, timeoutNanos);
        if (boundFromSubmission) {
            call.timer = scheduler.schedule(call::expire, timeoutNanos, TimeUnit.NANOSECONDS);
        }
        queued.add(call);
        dispatch();
    }

    /** Starts queued calls while there is room. */
    private void dispatch() {
        for (;;) {
            int running = inFlight.get();
            if (running >= maxCalls || queued.isEmpty()) {
                return;
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            Call<?> call = queued.poll();
            if (call == null) {
                inFlight.decrementAndGet();
                continue; // another thread took it; look again, a call may have come meanwhile
            }
            try {
                executor.execute(call::run);
            } catch (RejectedExecutionException e) {
                call.refused(e);
            }
        }
    }

    private void finished() {
        inFlight.decrementAndGet();
        dispatch();
    }

    /** One call and its race with its bound. */
    private final class Call<T> {
        private static final int QUEUED = 0;
        private static final int RUNNING = 1;
        private static final int DONE = 2;
        private static final int INTERRUPTING = 3;
        private static final int TIMED_OUT = 4;

        private final String what;
        private final Callable<T> hook;
        private final Outcome<T> outcome;
        private final long timeoutNanos;
        private final long submittedAtNanos = clock.nanoTime();
        private final AtomicInteger state = new AtomicInteger(QUEUED);
        /** Written by the worker before the CAS to RUNNING; read by the expiry after its CAS. */
        private volatile Thread worker;
        /** Set before the call is queued (or, bound from its start, before it runs); cancelled when it returns in time. */
        volatile ScheduledFuture<?> timer;

        Call(String what, Callable<T> hook, Outcome<T> outcome, long timeoutNanos) {
            this.what = what;
            this.hook = hook;
            this.outcome = outcome;
            this.timeoutNanos = timeoutNanos;
        }

        void run() {
            Throwable fatal = null;
            try {
                worker = Thread.currentThread();
                if (!state.compareAndSet(QUEUED, RUNNING)) {
                    return; // its bound passed while it was queued: timedOut(false) has run
                }
                if (!boundFromSubmission) {
                    timer = scheduler.schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
                }
                T value = null;
                Throwable error = null;
                try {
                    value = hook.call();
                } catch (Throwable t) {
                    error = t;
                    if (t instanceof VirtualMachineError) {
                        fatal = t;
                    }
                }
                if (state.compareAndSet(RUNNING, DONE)) {
                    timer.cancel(false);
                    outcome.completed(value, error);
                    return;
                }
                // The expiry holds INTERRUPTING only across the interrupt and its non-blocking timedOut.
                while (state.get() == INTERRUPTING) {
                    Thread.onSpinWait();
                }
                Thread.interrupted();
                compensation.adjust(-1);
                log.debug("pool '{}': {} returned {} ms after its bound", pool, what,
                        TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - submittedAtNanos - timeoutNanos));
                outcome.returnedLate(value, error);
            } catch (RuntimeException | Error e) {
                log.error("pool '{}': handling the end of {} failed", pool, what, e);
            } finally {
                finished();
            }
            if (fatal instanceof Error error) {
                throw error;
            }
        }

        void expire() {
            if (state.compareAndSet(QUEUED, TIMED_OUT)) {
                queued.remove(this);
                outcome.timedOut(timeout(), false);
                return;
            }
            if (!state.compareAndSet(RUNNING, INTERRUPTING)) {
                return;
            }
            try {
                worker.interrupt();
                compensation.adjust(1);
                // Before TIMED_OUT, so that returnedLate cannot overlap it.
                outcome.timedOut(timeout(), true);
            } finally {
                state.set(TIMED_OUT);
            }
        }

        /** The executor refused the task: the call fails as if the hook had thrown that. */
        void refused(RejectedExecutionException e) {
            try {
                if (state.compareAndSet(QUEUED, DONE)) {
                    if (timer != null) {
                        timer.cancel(false);
                    }
                    outcome.completed(null, e);
                }
            } finally {
                finished();
            }
        }

        private TimeoutException timeout() {
            return new TimeoutException(what + " did not return within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        }
    }
}
