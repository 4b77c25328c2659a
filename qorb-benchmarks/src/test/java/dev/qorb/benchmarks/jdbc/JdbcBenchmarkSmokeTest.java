package dev.qorb.benchmarks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qorb.jdbc.testing.PostgresServers;
import java.util.Collection;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the JDBC benchmark once, minimally, against a PostgreSQL server it starts: only to prove it still works. */
class JdbcBenchmarkSmokeTest {

    @Test
    void everyJdbcBenchmarkRunsOnce() throws Exception {
        Assumptions.assumeTrue(PostgresServers.installed(), PostgresServers.NOT_INSTALLED);
        // A smoke run measures nothing: another JMH run on the machine holding /tmp/jmh.lock must not fail it.
        System.setProperty("jmh.ignoreLock", "true");
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(JdbcBenchmark.class.getName())
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(20))
                .shouldFailOnError(true)
                .build()).run();
        assertThat(results).hasSize(12);
        assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
    }
}
