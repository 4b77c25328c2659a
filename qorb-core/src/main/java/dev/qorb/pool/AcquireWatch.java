package dev.qorb.pool;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The time bound of one slot's {@code onAcquire}, which runs in the claimer's thread: the
 * claimer marks the start and end, and the pool's {@link AcquireWatchdog} expires it when
 * late. Nothing is allocated and no timer is scheduled per call, so a bounded
 * {@code onAcquire} costs a clock read and two writes to a line the claim already owns.
 *
 * <p>Thread-safety: the state word decides by CAS between "the call ended" and "the bound
 * passed". The watchdog interrupts only while it holds {@code INTERRUPTING}, and the claimer,
 * having lost the race, waits for it to leave that state before clearing its interrupt flag,
 * so the interrupt never reaches the claimer's later work.
 */
final class AcquireWatch {

    private static final int NONE = 0;
    private static final int RUNNING = 1;
    private static final int INTERRUPTING = 2;
    private static final int TIMED_OUT = 3;
    private static final AtomicIntegerFieldUpdater<AcquireWatch> STATE =
            AtomicIntegerFieldUpdater.newUpdater(AcquireWatch.class, "state");

    /** See the class comment. */
    private volatile int state;
    /** Written by the claimer before the volatile write of RUNNING; read by the watchdog after reading it. */
    private Thread thread;
    private long deadlineNanos;

    /** The claimer starts a call that must end by {@code deadlineNanos}. */
    void begin(long deadlineNanos) {
        this.thread = Thread.currentThread();
        this.deadlineNanos = deadlineNanos;
        state = RUNNING;
    }

    /**
     * The claimer's call returned.
     *
     * @return whether it returned within its bound; if not, the watchdog has interrupted the
     *     claimer (the flag is cleared again here) and closed the connection
     */
    boolean end() {
        if (STATE.compareAndSet(this, RUNNING, NONE)) {
            thread = null;
            return true;
        }
        while (state == INTERRUPTING) {
            Thread.onSpinWait();
        }
        Thread.interrupted();
        thread = null;
        state = NONE;
        return false;
    }

    /**
     * The watchdog's look: expires the call if it is past its bound.
     *
     * @param onExpiry runs, before the claimer learns of it, when this look expired the call
     * @return whether it did
     */
    boolean expireIfLate(long nowNanos, Runnable onExpiry) {
        if (state != RUNNING || nowNanos - deadlineNanos < 0 || !STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
            return false;
        }
        try {
            thread.interrupt();
            onExpiry.run();
        } finally {
            state = TIMED_OUT;
        }
        return true;
    }
}
