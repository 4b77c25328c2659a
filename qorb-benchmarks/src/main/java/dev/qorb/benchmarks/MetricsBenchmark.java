package dev.qorb.benchmarks;

import dev.qorb.Handle;
import dev.qorb.Pool;
import dev.qorb.metrics.MetricsTracker;
import dev.qorb.metrics.MetricsTrackerFactory;
import dev.qorb.spring.metrics.QorbMicrometerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
 * What metrics cost a claim: claim and release at once on one thread, a pool of 16, with no
 * tracker ({@code bare}) and with the starter's Micrometer tracker ({@code micrometer}, and
 * {@code micrometer-histogram} with the opt-in claim-wait histogram). Target: Micrometer at
 * most 1.3 times bare.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class MetricsBenchmark {

    @Param({"bare", "micrometer", "micrometer-histogram"})
    public String metrics;

    private Pool<Object> pool;

    @Setup
    public void setUp() {
        MetricsTrackerFactory tracker = switch (metrics) {
            case "bare" -> p -> MetricsTracker.NONE;
            case "micrometer" -> new QorbMicrometerMetrics(new SimpleMeterRegistry(), false, 0);
            case "micrometer-histogram" -> new QorbMicrometerMetrics(new SimpleMeterRegistry(), true, 0);
            default -> throw new IllegalArgumentException("unknown metrics '" + metrics + "'");
        };
        pool = PoolUnderTest.filledQorb("bench", backend -> new Object(), 16, 1, builder -> builder.metricsTracker(tracker));
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    @Threads(1)
    public Handle<Object> claimRelease() {
        Handle<Object> handle = pool.claim();
        handle.close();
        return handle;
    }
}
