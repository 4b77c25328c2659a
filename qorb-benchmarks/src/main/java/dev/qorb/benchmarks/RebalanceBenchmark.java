package dev.qorb.benchmarks;

import dev.qorb.Backend;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.pool.QorbPool;
import dev.qorb.resolver.FixedResolver;
import java.util.ArrayList;
import java.util.List;
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
 * 5a. The time of one rebalance of a running pool over 3 and over 1000 backends (16 slots),
 * through the pool's {@code rebalanceNow()} seam.
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
        pool = (QorbPool<Object>) Pool.builder("rebalance", backend -> new Object())
                .resolver(new FixedResolver(list)).policy(Policy.builder().backend(b -> b.noHealthChecks()).build())
                .build();
        PoolUnderTest.awaitIdle(pool, 8);
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public QorbPool<Object> rebalance() {
        pool.rebalanceNow();
        return pool;
    }
}
