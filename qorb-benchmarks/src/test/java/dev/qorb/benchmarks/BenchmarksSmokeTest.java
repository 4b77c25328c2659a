package dev.qorb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark once, minimally, each in its own JVM as JMH wants: only to prove they
 * still work. The real
 * measurements are made by {@code qorb-benchmarks/run-benchmarks.sh} (see BENCHMARKS.md).
 */
class BenchmarksSmokeTest {

    @Test
    void everyBenchmarkRunsOnce() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("dev\\.qorb\\..*Benchmark")
                .exclude("JdbcBenchmark") // needs PostgreSQL: JdbcBenchmarkSmokeTest
                .forks(1)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(20))
                .param("claimers", "10")
                .shouldFailOnError(true)
                .build()).run();
        assertThat(results).extracting(r -> r.getParams().getBenchmark()).contains(
                "dev.qorb.benchmarks.ClaimReleaseBenchmark.threads32",
                "dev.qorb.benchmarks.WorkloadBenchmark.allClaimersOnce",
                "dev.qorb.benchmarks.ExhaustedBenchmark.claimHoldRelease",
                "dev.qorb.benchmarks.HoldBenchmark.hold",
                "dev.qorb.benchmarks.ManyBackendsBenchmark.threads08",
                "dev.qorb.benchmarks.RebalanceBenchmark.rebalance");
        assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
    }

    @Test
    void theFootprintReportRuns() throws Exception {
        FootprintReport.main(new String[] {"10"});
    }
}
