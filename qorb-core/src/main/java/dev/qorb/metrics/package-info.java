/**
 * The metrics SPI: a {@link dev.qorb.metrics.MetricsTracker} hears claims, releases, connects
 * and failures as they happen, so that a metrics library can count and time them without
 * wrapping the pool. The Spring Boot starter brings one for Micrometer.
 */
package dev.qorb.metrics;
