package dev.qorb.pool;

import dev.qorb.Backend;
import dev.qorb.Policy;
import dev.qorb.metrics.MetricsTracker;
import dev.qorb.resolver.FixedResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * 5a. The time of one rebalance of a running pool over 3 and over 1000 backends (16 slots):
 * in this package to call the pool's rebalance directly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RebalanceBenchmark {

    @Param({"3", "1000"})
    public int backends;

    private QorbPool<Object> pool;

    @Setup
    public void setUp() {
        List<Backend> list = new ArrayList<>();
        for (int i = 0; i < backends; i++) {
            list.add(Backend.of("127.0.0.1", 10_000 + i));
        }
        pool = new QorbPool<>("rebalance", backend -> new Object(), new FixedResolver(list),
                Policy.builder().backend(b -> b.noHealthChecks()).build(), SharedExecutors.scheduler(),
                SharedExecutors.workers(), Clock.SYSTEM, ThreadLocalRandom::current, p -> MetricsTracker.NONE);
        pool.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pool.stats().unclaimed() < 8 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public QorbPool<Object> rebalance() {
        pool.rebalance();
        return pool;
    }
}
