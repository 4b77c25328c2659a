package dev.qorb.benchmarks;

import dev.qorb.Backend;
import dev.qorb.Handle;
import dev.qorb.Pool;
import dev.qorb.connector.Connector;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * 6. What a bounded {@code onAcquire} costs a claim: claim + release at one thread with a
 * connector that has no claim hook, and with one whose {@code onAcquire} does nothing (so only
 * the pool's bound around it is measured). Target: at most 150 ns more.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HookCostBenchmark {

    /** A connector whose {@code onAcquire} is overridden and does nothing. */
    static final class EmptyOnAcquire implements Connector<Object> {
        @Override
        public Object connect(Backend backend) {
            return new Object();
        }

        @Override
        public void onAcquire(Object connection) {
        }
    }

    @Param({"none", "onAcquire"})
    public String hook;

    private Pool<Object> pool;

    @Setup
    public void setUp() {
        Connector<Object> connector = hook.equals("none") ? backend -> new Object() : new EmptyOnAcquire();
        pool = PoolUnderTest.filledQorb("hook-cost", connector, 16, 1, builder -> { });
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    @Threads(1)
    public Object claimAndRelease() {
        Handle<Object> handle = pool.claim();
        handle.close();
        return handle;
    }
}
