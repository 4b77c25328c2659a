package dev.qorb.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The pool a benchmark measures: created before its trial, closed after. */
@State(Scope.Benchmark)
public abstract class PoolBenchmark {

    /** The pool under test, for the benchmark methods. */
    protected PoolUnderTest underTest;

    /** Creates the pool this benchmark measures, from its {@code @Param}s. */
    protected abstract PoolUnderTest createPool() throws Exception;

    @Setup
    public void setUp() throws Exception {
        underTest = createPool();
    }

    @TearDown
    public void tearDown() throws Exception {
        underTest.close();
    }
}
