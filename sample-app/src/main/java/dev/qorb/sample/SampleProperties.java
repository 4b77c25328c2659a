package dev.qorb.sample;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The demo's knobs.
 *
 * @param claimers claimer threads per pool at start; the page changes them
 * @param maxClaimers the most claimers the page may ask for, per pool
 * @param runFor how long the app runs before it stops by itself
 * @param pause how long each claimer pauses between claims, so that rates stay readable
 */
@ConfigurationProperties("qorb-sample")
public record SampleProperties(int claimers, int maxClaimers, Duration runFor, Duration pause) {
}
