package dev.qorb.pool;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The background threads every pool in the JVM shares unless its builder is given others:
 * one scheduler thread for timers, and a bounded set of workers for connector calls and
 * rebalancing. So the thread count does not grow with pools, backends or slots.
 *
 * <p>A connector call abandoned past its bound still holds its worker until it returns; the
 * workers grow by one for each such call while it runs ({@link #compensation()}), so a pool
 * whose hooks hang cannot take the threads other pools need. Each pool bounds its own calls
 * in flight, so the growth is bounded too.
 *
 * <p>Both use daemon threads that exit after a minute idle and come back on demand, so a
 * JVM with no open pool keeps none.
 */
final class SharedExecutors {

    /** Workers: twice the cores plus two, so that a few blocking connects cannot starve checks. */
    static final int WORKER_THREADS = 2 * Runtime.getRuntime().availableProcessors() + 2;

    private SharedExecutors() {
    }

    static ScheduledExecutorService scheduler() {
        return Holder.SCHEDULER;
    }

    static ExecutorService workers() {
        return Holder.WORKERS;
    }

    /** Grows and shrinks the shared workers by the calls abandoned on them. */
    static ConnectorCalls.Compensation compensation() {
        return Holder::compensate;
    }

    private static final class Holder {
        static final ScheduledExecutorService SCHEDULER = newScheduler();
        static final ThreadPoolExecutor WORKERS = newWorkers();
        /** Calls abandoned on the workers and still running; guarded by WORKERS' monitor. */
        private static int abandoned;

        private static ScheduledExecutorService newScheduler() {
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemon("qorb-scheduler"));
            scheduler.setRemoveOnCancelPolicy(true);
            scheduler.setKeepAliveTime(1, TimeUnit.MINUTES);
            // Safe for a scheduler: the last thread stays while any delayed task is queued.
            scheduler.allowCoreThreadTimeOut(true);
            return scheduler;
        }

        private static ThreadPoolExecutor newWorkers() {
            ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS, 1, TimeUnit.MINUTES,
                    new LinkedBlockingQueue<>(), daemon("qorb-worker"));
            workers.allowCoreThreadTimeOut(true);
            return workers;
        }

        /** Non-blocking: resizing starts a thread for queued work but waits for nothing. */
        private static void compensate(int delta) {
            synchronized (WORKERS) {
                abandoned += delta;
                int size = WORKER_THREADS + abandoned;
                if (delta > 0) {
                    WORKERS.setMaximumPoolSize(size);
                    WORKERS.setCorePoolSize(size);
                } else {
                    WORKERS.setCorePoolSize(size);
                    WORKERS.setMaximumPoolSize(size);
                }
            }
        }

        private static ThreadFactory daemon(String prefix) {
            AtomicInteger count = new AtomicInteger();
            return task -> {
                Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
        }
    }
}
