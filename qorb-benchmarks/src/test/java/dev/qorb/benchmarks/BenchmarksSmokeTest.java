package dev.qorb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Proves, in a few seconds, that the benchmarks still run: every benchmark method once, in this
 * JVM (no fork, no warmup, one 10 ms iteration), on qorb; and every other pool of the comparison
 * claimed from and closed directly. Its numbers mean nothing. The real measurements, one forked
 * JVM per benchmark and every pool, are made by {@code qorb-benchmarks/run-benchmarks.sh} (see
 * BENCHMARKS.md).
 */
class BenchmarksSmokeTest {

    @Test
    void everyBenchmarkRunsOnce() throws Exception {
        // JMH refuses to start while another JMH run on the machine holds /tmp/jmh.lock, to keep
        // measurements apart; a smoke run measures nothing, so it must not fail for that.
        System.setProperty("jmh.ignoreLock", "true");
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("dev\\.qorb\\..*Benchmark")
                .exclude("JdbcBenchmark") // needs PostgreSQL: JdbcBenchmarkSmokeTest
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(10))
                // Threads stop when the iteration ends instead of finishing in step: faster here.
                .syncIterations(false)
                .param("pool", PoolUnderTest.QORB)
                .param("claimers", "10")
                .shouldFailOnError(true)
                .build()).run();
        assertThat(results).extracting(r -> r.getParams().getBenchmark()).contains(
                "dev.qorb.benchmarks.ClaimReleaseBenchmark.threads01",
                "dev.qorb.benchmarks.ClaimReleaseBenchmark.threads32",
                "dev.qorb.benchmarks.WorkloadBenchmark.allClaimersOnce",
                "dev.qorb.benchmarks.ExhaustedBenchmark.claimHoldRelease",
                "dev.qorb.benchmarks.HoldBenchmark.hold",
                "dev.qorb.benchmarks.ManyBackendsBenchmark.threads08",
                "dev.qorb.benchmarks.RebalanceBenchmark.rebalance");
        assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
    }

    @ParameterizedTest
    @ValueSource(strings = {PoolUnderTest.COMMONS_POOL2, PoolUnderTest.STORMPOT, PoolUnderTest.HIKARICP,
            PoolUnderTest.BLOCKING_QUEUE})
    void everyOtherPoolOfTheComparisonClaimsAndReleases(String kind) throws Exception {
        try (PoolUnderTest pool = PoolUnderTest.create(kind, 2)) {
            Object first = pool.claim();
            Object second = pool.claim();
            assertThat(first).isNotNull().isNotSameAs(second);
            pool.release(first);
            assertThat(pool.claimAndRelease()).isNotNull();
            pool.release(second);
        }
    }

    @Test
    void theFootprintReportRuns() throws Exception {
        FootprintReport.main(new String[] {"1"});
    }

    @Test
    void theFairnessProbeCountsEveryThreadsClaims() throws Exception {
        try (PoolUnderTest pool = PoolUnderTest.create(PoolUnderTest.QORB, FairnessProbe.SLOTS)) {
            FairnessProbe.Result result = FairnessProbe.run(pool, TimeUnit.MILLISECONDS.toNanos(200));
            long claims = Arrays.stream(result.opsPerThread()).sum();
            assertThat(result.opsPerThread()).hasSize(FairnessProbe.THREADS);
            assertThat(claims).isPositive();
            // Every claim's wait, and the claims still blocked at the end.
            assertThat(result.allWaitsNanos().length).isBetween((int) claims, (int) claims + FairnessProbe.THREADS);
            assertThat(result.row("qorb")).startsWith("| qorb | ");
        }
    }
}
