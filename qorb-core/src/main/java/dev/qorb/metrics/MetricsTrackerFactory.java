package dev.qorb.metrics;

import dev.qorb.Pool;

/**
 * Creates the {@link MetricsTracker} of each pool it is given to, through
 * {@code Pool.Builder.metricsTracker}.
 */
@FunctionalInterface
public interface MetricsTrackerFactory {

    /**
     * Called once, while the pool is built and before it starts.
     *
     * @param pool the pool, for what gauges read: its name, policy, resolver and
     *     {@link Pool#stats()}; it must not be claimed from here
     * @return the pool's tracker, or {@link MetricsTracker#NONE}
     */
    MetricsTracker create(Pool<?> pool);
}
