package dev.qorb.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** How long a 50 µs park really lasts here: the hold time that the workload's ideal is made of. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HoldBenchmark {

    @Benchmark
    public void hold() {
        LockSupport.parkNanos(WorkloadBenchmark.HOLD_NANOS);
    }
}
