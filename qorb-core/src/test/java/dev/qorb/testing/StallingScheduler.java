package dev.qorb.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A scheduler for a pool's {@code Pool.Builder.scheduler(...)} that can hold one timer task
 * after it started running and before the pool's code in it runs, as a preempted scheduler
 * thread would: {@link #stallNext} picks the next task scheduled with a given delay (with no
 * spread, a reconnect after a failure waits exactly the minimum backoff). While held, the
 * task's future is running, so {@code cancel(false)} on it returns {@code true} and the task
 * still runs. Other tasks run on the other thread meanwhile.
 */
public final class StallingScheduler extends ScheduledThreadPoolExecutor {

    private final AtomicBoolean armed = new AtomicBoolean();
    private volatile long stallDelayNanos = -1;
    private final CountDownLatch stalled = new CountDownLatch(1);
    private final CountDownLatch resume = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    public StallingScheduler() {
        super(2, task -> {
            Thread thread = new Thread(task, "test-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        setRemoveOnCancelPolicy(true);
    }

    /** Holds the next task scheduled with exactly {@code delay} once it starts. */
    public void stallNext(Duration delay) {
        stallDelayNanos = delay.toNanos();
        armed.set(true);
    }

    /** Waits until the task picked by {@link #stallNext} is running and held. */
    public boolean awaitStalled(Duration timeout) throws InterruptedException {
        return stalled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Lets the held task run the pool's code, and waits until it has. */
    public boolean resumeAndAwait(Duration timeout) throws InterruptedException {
        resume.countDown();
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (unit.toNanos(delay) != stallDelayNanos || !armed.compareAndSet(true, false)) {
            return super.schedule(command, delay, unit);
        }
        return super.schedule(() -> {
            stalled.countDown();
            try {
                // A preempted thread goes on with the task whatever happened meanwhile, a cancel(true) included.
                Uninterruptibly.await(resume, Duration.ofSeconds(30), "the stalled timer task");
                command.run();
            } finally {
                finished.countDown();
            }
        }, delay, unit);
    }
}
