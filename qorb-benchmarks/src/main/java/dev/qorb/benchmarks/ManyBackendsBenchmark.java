package dev.qorb.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Threads;

/** 5b. qorb's claim + release over 3 and over 1000 backends (16 slots), at 1 and 8 threads. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ManyBackendsBenchmark extends PoolBenchmark {

    @Param({"3", "1000"})
    public int backends;

    @Override
    protected PoolUnderTest createPool() throws Exception {
        return PoolUnderTest.create(PoolUnderTest.QORB, 16, backends);
    }

    @Benchmark
    @Threads(1)
    public Object threads01() throws Exception {
        return underTest.claimAndRelease();
    }

    @Benchmark
    @Threads(8)
    public Object threads08() throws Exception {
        return underTest.claimAndRelease();
    }
}
