package dev.qorb.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Threads;

/**
 * 1. Claim and release at once, at 1, 2, 8 and 32 threads, pools sized 16: the uncontended and
 * the contended fast path. Reported as ns per claim + release, per thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClaimReleaseBenchmark extends PoolBenchmark {

    @Param({PoolUnderTest.QORB, PoolUnderTest.COMMONS_POOL2, PoolUnderTest.STORMPOT, PoolUnderTest.HIKARICP,
            PoolUnderTest.BLOCKING_QUEUE})
    public String pool;

    @Override
    protected PoolUnderTest createPool() throws Exception {
        return PoolUnderTest.create(pool, 16);
    }

    @Benchmark
    @Threads(1)
    public Object threads01() throws Exception {
        return underTest.claimAndRelease();
    }

    @Benchmark
    @Threads(2)
    public Object threads02() throws Exception {
        return underTest.claimAndRelease();
    }

    @Benchmark
    @Threads(8)
    public Object threads08() throws Exception {
        return underTest.claimAndRelease();
    }

    @Benchmark
    @Threads(32)
    public Object threads32() throws Exception {
        return underTest.claimAndRelease();
    }
}
