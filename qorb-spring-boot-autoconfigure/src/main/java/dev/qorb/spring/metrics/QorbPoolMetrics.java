package dev.qorb.spring.metrics;

import dev.qorb.BackendStats;
import dev.qorb.ClaimException;
import dev.qorb.Pool;
import dev.qorb.PoolStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Gauges and counters of each pool, in the style of {@code hikaricp.connections.*}, tagged
 * {@code pool}. Not tagged by backend: with DNS discovery backends come and go without bound
 * (every pod restart is a new address), which metric stores handle badly; per-backend numbers
 * are in the health details and the {@code qorb} endpoint.
 */
public class QorbPoolMetrics implements MeterBinder {

    private static final String[] SLOT_STATES = {"connecting", "idle", "checking", "claimed"};

    private final Supplier<List<Pool<?>>> pools;

    /** @param pools the pools, asked for when bound (so that binding does not create them early) */
    public QorbPoolMetrics(Supplier<List<Pool<?>>> pools) {
        this.pools = pools;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Pool<?> pool : pools.get()) {
            bind(registry, pool);
        }
    }

    private void bind(MeterRegistry registry, Pool<?> pool) {
        Tags tags = Tags.of("pool", pool.name());
        for (String state : SLOT_STATES) {
            gauge(registry, "qorb.slots", "Slots by state: connecting, idle, checking (or recycling), claimed",
                    pool, tags.and("state", state),
                    stats -> stats.backends().values().stream().mapToInt(b -> count(b, state)).sum());
        }
        gauge(registry, "qorb.slots.max", "Maximum slots across backends", pool, tags,
                stats -> pool.policy().maxSlots());
        gauge(registry, "qorb.claims.pending", "Claims waiting for a connection", pool, tags, PoolStats::waiting);
        gauge(registry, "qorb.backends", "Backends the resolver reports", pool, tags.and("state", "known"),
                stats -> stats.backends().size());
        gauge(registry, "qorb.backends", "Backends with a connection", pool, tags.and("state", "online"),
                PoolStats::backendsOnline);
        FunctionCounter.builder("qorb.claims", pool, p -> p.stats().claims())
                .description("Claims by outcome").tags(tags.and("outcome", "claimed")).register(registry);
        for (ClaimException.Kind kind : ClaimException.Kind.values()) {
            FunctionCounter.builder("qorb.claims", pool, p -> p.stats().failedClaims().getOrDefault(kind, 0L))
                    .description("Claims by outcome").tags(tags.and("outcome", kind.name().toLowerCase(Locale.ROOT)))
                    .register(registry);
        }
        FunctionCounter.builder("qorb.connect.failures", pool, p -> p.stats().connectFailures())
                .description("Connect attempts that failed").tags(tags).register(registry);
        FunctionCounter.builder("qorb.check.failures", pool, p -> p.stats().checkFailures())
                .description("Health checks, recycles and onAcquire calls that failed").tags(tags).register(registry);
    }

    private static int count(BackendStats backend, String state) {
        return switch (state) {
            case "connecting" -> backend.connecting();
            case "idle" -> backend.unclaimed();
            case "checking" -> backend.checking();
            default -> backend.claimed();
        };
    }

    private static void gauge(MeterRegistry registry, String name, String description, Pool<?> pool, Tags tags,
            ToDoubleFunction<PoolStats> value) {
        Gauge.builder(name, pool, p -> value.applyAsDouble(p.stats())).description(description).tags(tags)
                .register(registry);
    }
}
