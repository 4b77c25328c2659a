package dev.qorb.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * 6. Fairness: 64 threads share 16 slots, each claim held 50 µs, for 3 s. A pool that is fast
 * because some threads keep their slot shows it here: per thread, how many claims it got
 * against the median thread, and the longest any one claim waited. Not a JMH benchmark: it
 * measures the spread over threads, which JMH averages away.
 *
 * <p>A claim still blocked when the run ends counts with the time it had waited so far (its
 * thread is then interrupted): a pool that starves a thread shows that thread's whole wait.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.qorb.benchmarks.FairnessProbe [kinds...]}, by
 * default qorb, HikariCP, commons-pool2 and Stormpot, each after a 1 s warm-up run.
 */
public final class FairnessProbe {

    static final int THREADS = 64;
    static final int SLOTS = 16;
    static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(3);
    static final long WARMUP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private FairnessProbe() {
    }

    public static void main(String[] args) throws Exception {
        List<String> kinds = args.length > 0 ? List.of(args)
                : List.of(PoolUnderTest.QORB, PoolUnderTest.HIKARICP, PoolUnderTest.COMMONS_POOL2,
                        PoolUnderTest.STORMPOT);
        System.out.printf("%d threads, %d slots, hold %d µs, %d s; cores: %d%n", THREADS, SLOTS,
                TimeUnit.NANOSECONDS.toMicros(WorkloadBenchmark.HOLD_NANOS), TimeUnit.NANOSECONDS.toSeconds(RUN_NANOS),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| pool | claims | ops/thread min | median | max | min ÷ median | min ÷ mean"
                + " | threads < 50 % of median | wait p99 (ms) | longest wait (ms) |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (String kind : kinds) {
            try (PoolUnderTest pool = PoolUnderTest.create(kind, SLOTS)) {
                run(pool, WARMUP_NANOS);
                System.out.println(run(pool, RUN_NANOS).row(kind));
            }
        }
    }

    /** What one run measured. */
    record Result(long[] opsPerThread, long[] allWaitsNanos) {

        long median() {
            long[] sorted = opsPerThread.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }

        long min() {
            return Arrays.stream(opsPerThread).min().orElse(0);
        }

        long max() {
            return Arrays.stream(opsPerThread).max().orElse(0);
        }

        long starved() {
            long half = median() / 2;
            return Arrays.stream(opsPerThread).filter(ops -> ops < half).count();
        }

        double waitMillis(double quantile) {
            long[] sorted = allWaitsNanos.clone();
            Arrays.sort(sorted);
            int at = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
            return sorted.length == 0 ? 0 : sorted[Math.max(at, 0)] / 1e6;
        }

        String row(String kind) {
            long median = median();
            double mean = Arrays.stream(opsPerThread).average().orElse(0);
            // Beside the median, the mean: when most threads starve (median 1), min ÷ median looks fair.
            return String.format("| %s | %d | %d | %d | %d | %.2f | %.2f | %d | %.1f | %.1f |", kind,
                    Arrays.stream(opsPerThread).sum(), min(), median, max(),
                    median == 0 ? 0.0 : (double) min() / median, mean == 0 ? 0.0 : min() / mean, starved(),
                    waitMillis(0.99), waitMillis(1.0));
        }
    }

    static Result run(PoolUnderTest pool, long durationNanos) throws InterruptedException {
        long[] ops = new long[THREADS];
        long[][] waits = new long[THREADS][];
        AtomicLongArray claimStarted = new AtomicLongArray(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        long[] end = new long[1];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                long[] mine = new long[1024];
                int count = 0;
                try {
                    start.await();
                    while (System.nanoTime() - end[0] < 0) {
                        long before = System.nanoTime();
                        claimStarted.set(id, before);
                        Object claimed = pool.claim();
                        claimStarted.set(id, 0);
                        if (count == mine.length) {
                            mine = Arrays.copyOf(mine, count * 2);
                        }
                        mine[count++] = System.nanoTime() - before;
                        LockSupport.parkNanos(WorkloadBenchmark.HOLD_NANOS);
                        pool.release(claimed);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    if (!Thread.currentThread().isInterrupted()) {
                        throw new IllegalStateException(e);
                    }
                } finally {
                    ops[id] = count;
                    waits[id] = Arrays.copyOf(mine, count);
                }
            }, "probe-" + t);
            threads.add(thread);
            thread.start();
        }
        end[0] = System.nanoTime() + durationNanos;
        start.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.NANOSECONDS.toMillis(Math.max(0, end[0] - System.nanoTime())) + 200);
        }
        // Claims still blocked now: count what they waited so far, then end them.
        long now = System.nanoTime();
        List<Long> blocked = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long began = claimStarted.get(t);
            if (threads.get(t).isAlive() && began != 0) {
                blocked.add(now - began);
            }
            threads.get(t).interrupt();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not end after its interrupt");
            }
        }
        long[] all = Arrays.stream(waits).flatMapToLong(Arrays::stream).toArray();
        int n = all.length;
        all = Arrays.copyOf(all, n + blocked.size());
        for (int i = 0; i < blocked.size(); i++) {
            all[n + i] = blocked.get(i);
        }
        return new Result(ops, all);
    }
}
