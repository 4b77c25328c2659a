/**
 * Micrometer metrics of qorb pools, named and tagged as listed in the README: a
 * {@link dev.qorb.metrics.MetricsTracker} per pool that registers its meters once, counts claims
 * into adders on the fast path and removes its meters when the pool closes.
 */
package dev.qorb.spring.metrics;
