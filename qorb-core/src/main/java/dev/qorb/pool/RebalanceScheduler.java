package dev.qorb.pool;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When rebalances run: on the pool's timer and whenever something asks (a resolver report, a
 * backend going online or offline, a slot ending, a claim leaving fewer spares than wanted),
 * coalesced so that at most one is queued at a time, one at a time under a lock no claim takes.
 *
 * <p>Thread-safety: {@link #request()} may be called from any thread and never blocks;
 * {@link #runNow()} and {@link #locked(Runnable)} serialize on {@code lock}.
 */
final class RebalanceScheduler {

    private static final Logger log = LoggerFactory.getLogger(RebalanceScheduler.class);

    private final String pool;
    private final Executor executor;
    private final Runnable rebalance;
    private final Runnable afterwards;
    private final BooleanSupplier closing;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean requested = new AtomicBoolean();
    /** Whether a delayed request is pending, so that retries do not pile up timers. */
    private final AtomicBoolean delayed = new AtomicBoolean();
    private volatile ScheduledFuture<?> timer;

    /**
     * @param rebalance one rebalance; runs under the lock
     * @param afterwards runs after each rebalance, outside the lock
     */
    RebalanceScheduler(String pool, Executor executor, Runnable rebalance, Runnable afterwards,
            BooleanSupplier closing) {
        this.pool = pool;
        this.executor = executor;
        this.rebalance = rebalance;
        this.afterwards = afterwards;
        this.closing = closing;
    }

    void start(ScheduledExecutorService scheduler, long intervalNanos) {
        timer = scheduler.scheduleWithFixedDelay(this::request, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    void stop() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }

    /** Asks for a rebalance soon; nothing is queued if one already is. */
    void request() {
        if (closing.getAsBoolean() || requested.get() || !requested.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::runNow);
        } catch (RejectedExecutionException e) {
            requested.set(false);
            log.warn("pool '{}': the executor refused a rebalance: {}", pool, e.toString());
        }
    }

    /** Asks for a rebalance after {@code delayNanos}, unless one such request is already pending. */
    void requestIn(ScheduledExecutorService scheduler, long delayNanos) {
        if (!closing.getAsBoolean() && delayed.compareAndSet(false, true)) {
            scheduler.schedule(() -> {
                delayed.set(false);
                request();
            }, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Runs a rebalance in the calling thread. */
    void runNow() {
        lock.lock();
        try {
            requested.set(false);
            if (!closing.getAsBoolean()) {
                rebalance.run();
            }
        } catch (RuntimeException e) {
            log.error("pool '{}': rebalance failed", pool, e);
        } finally {
            lock.unlock();
        }
        afterwards.run();
    }

    /** Runs {@code action} excluding any rebalance (close and drain do). */
    void locked(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }
}
