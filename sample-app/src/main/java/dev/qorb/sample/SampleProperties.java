package dev.qorb.sample;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The demo's knobs.
 *
 * @param backends how many local echo backends to start
 * @param claimers how many threads claim from the pool
 * @param runFor how long the workload runs before it stops by itself
 * @param crashEvery how often one backend crashes (and comes back after half that time)
 * @param reportEvery how often the pool's stats are logged
 */
@ConfigurationProperties("qorb-sample")
public record SampleProperties(int backends, int claimers, Duration runFor, Duration crashEvery, Duration reportEvery) {
}
