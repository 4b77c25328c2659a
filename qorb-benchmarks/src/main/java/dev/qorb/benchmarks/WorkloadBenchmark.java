package dev.qorb.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 2. qorb's own workload: N claimers start together on 16 slots, each claims once, holds about
 * 50 µs and releases. The score is the wall time until all N are done; the ideal is
 * ceil(N / 16) × the measured hold ({@link HoldBenchmark}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 30)
public class WorkloadBenchmark {

    static final long HOLD_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    @Param({PoolUnderTest.QORB, PoolUnderTest.COMMONS_POOL2, PoolUnderTest.STORMPOT, PoolUnderTest.HIKARICP})
    public String pool;

    @Param({"10", "100", "1000"})
    public int claimers;

    private PoolUnderTest underTest;
    private ExecutorService threads;

    @Setup
    public void setUp() throws Exception {
        underTest = PoolUnderTest.create(pool, 16);
        threads = Executors.newFixedThreadPool(claimers);
        // Start every thread before measuring.
        CountDownLatch started = new CountDownLatch(claimers);
        for (int i = 0; i < claimers; i++) {
            threads.execute(started::countDown);
        }
        started.await();
    }

    @TearDown
    public void tearDown() throws Exception {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        underTest.close();
    }

    @Benchmark
    public int allClaimersOnce() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>(claimers);
        for (int i = 0; i < claimers; i++) {
            done.add(threads.submit(() -> {
                go.await();
                Object claimed = underTest.claim();
                LockSupport.parkNanos(HOLD_NANOS);
                underTest.release(claimed);
                return null;
            }));
        }
        go.countDown();
        for (Future<?> claimer : done) {
            claimer.get(60, TimeUnit.SECONDS);
        }
        return done.size();
    }
}
