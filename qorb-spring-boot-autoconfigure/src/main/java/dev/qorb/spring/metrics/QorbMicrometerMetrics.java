package dev.qorb.spring.metrics;

import dev.qorb.Pool;
import dev.qorb.metrics.MetricsTracker;
import dev.qorb.metrics.MetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;

/** Creates each pool's Micrometer meters; see the README's metrics table for what they are. */
public class QorbMicrometerMetrics implements MetricsTrackerFactory {

    private final MeterRegistry registry;
    private final boolean claimWaitHistogram;
    private final int maxTaggedBackends;

    /**
     * @param registry where the meters go
     * @param claimWaitHistogram whether qorb.claims.wait is a timer with a percentile histogram,
     *     recorded on every claim, instead of a count and a total
     * @param maxTaggedBackends 0 for no backend tag; else how many backends of a pool get their
     *     own tag value on the connect and failure meters (later ones share {@code other})
     */
    public QorbMicrometerMetrics(MeterRegistry registry, boolean claimWaitHistogram, int maxTaggedBackends) {
        this.registry = registry;
        this.claimWaitHistogram = claimWaitHistogram;
        this.maxTaggedBackends = maxTaggedBackends;
    }

    @Override
    public MetricsTracker create(Pool<?> pool) {
        return new PoolMeters(registry, pool, claimWaitHistogram, maxTaggedBackends);
    }
}
