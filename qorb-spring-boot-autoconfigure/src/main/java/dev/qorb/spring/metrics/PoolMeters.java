package dev.qorb.spring.metrics;

import dev.qorb.Backend;
import dev.qorb.BackendStats;
import dev.qorb.ClaimException;
import dev.qorb.Pool;
import dev.qorb.PoolStats;
import dev.qorb.dns.DnsResolver;
import dev.qorb.dns.LookupOutcome;
import dev.qorb.metrics.MetricsTracker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import org.springframework.util.ClassUtils;

/**
 * One pool's meters, registered once when the pool is built and removed when it closes.
 *
 * <p>Thread-safety: claims and releases report on callers' threads, concurrently. A claim served
 * from an idle connection (wait 0) touches nothing here: the pool counts its claims already, and
 * the claim counters read that count. Waits and failures add to {@link LongAdder}s that function
 * meters read; sampled holds record into a timer registered up front, so the fast path never
 * looks a meter up. Backend-tagged meters are made once per backend, by {@code computeIfAbsent},
 * on the pool's threads (connects and checks only).
 * <p>Invariant: every meter this registered is in {@code meters}, so that close removes them all.
 */
final class PoolMeters implements MetricsTracker {

    private static final boolean DNS_PRESENT = ClassUtils.isPresent("org.xbill.DNS.Name",
            PoolMeters.class.getClassLoader());
    private static final String[] SLOT_STATES = {"connecting", "idle", "checking", "claimed"};
    private static final String OTHER_BACKENDS = "other";

    private final MeterRegistry registry;
    private final Tags tags;
    private final int maxTaggedBackends;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private final LongAdder claimedWaitNanos = new LongAdder();
    private final LongAdder[] failed = adders();
    private final LongAdder[] failedWaitNanos = adders();
    /** With the histogram on, the wait of every claim: index 0 for served claims, then one per failure kind. */
    private final Timer[] waits;
    private final Timer held;
    /** Without backend tags, the pool's connect and failure meters; else {@code null}. */
    private final BackendMeters untagged;
    /** With backend tags: the meters of each backend seen while there was room, by name. */
    private final Map<String, BackendMeters> backends = new ConcurrentHashMap<>();
    /** How many backends got their own tag; at most {@code maxTaggedBackends}. */
    private final AtomicInteger tagged = new AtomicInteger();
    /** The meters shared by backends past the bound, made when first needed. */
    private volatile BackendMeters other;
    private volatile boolean closed;

    PoolMeters(MeterRegistry registry, Pool<?> pool, boolean claimWaitHistogram, int maxTaggedBackends) {
        this.registry = registry;
        this.tags = Tags.of("pool", pool.name());
        this.maxTaggedBackends = maxTaggedBackends;
        for (String state : SLOT_STATES) {
            gauge(pool, "qorb.slots", "Slots by state: connecting, idle, checking (or recycling), claimed",
                    tags.and("state", state), stats -> stats.backends().values().stream()
                            .mapToInt(backend -> slots(backend, state)).sum());
        }
        gauge(pool, "qorb.slots.max", "The most slots the pool may have across backends", tags,
                stats -> pool.policy().maxSlots());
        gauge(pool, "qorb.claims.pending", "Claims waiting for a connection", tags, PoolStats::waiting);
        gauge(pool, "qorb.backends", "Backends the resolver reports", tags.and("state", "known"),
                stats -> stats.backends().size());
        gauge(pool, "qorb.backends", "Backends with a connection", tags.and("state", "online"),
                PoolStats::backendsOnline);
        gauge(pool, "qorb.backends", "Backends that lend no more (drained, or removed by the resolver)",
                tags.and("state", "drained"), stats -> stats.backends().values().stream()
                        .filter(BackendStats::draining).count());
        this.waits = claimWaitHistogram ? new Timer[ClaimException.Kind.values().length + 1] : null;
        claimMeters(0, "claimed", pool, p -> p.stats().claims(), claimedWaitNanos);
        for (ClaimException.Kind kind : ClaimException.Kind.values()) {
            claimMeters(kind.ordinal() + 1, outcome(kind), failed[kind.ordinal()], LongAdder::sum,
                    failedWaitNanos[kind.ordinal()]);
        }
        this.held = add(Timer.builder("qorb.claims.held").description("How long connections are held, claim to"
                + " return, over a random sample of claims (all of them with leak detection on)").tags(tags)
                .register(registry));
        this.untagged = maxTaggedBackends == 0 ? new BackendMeters(tags) : null;
        if (DNS_PRESENT) {
            dnsLookups(pool);
        }
    }

    @Override
    public void claimed(long waitNanos) {
        if (waitNanos > 0) {
            claimedWaitNanos.add(waitNanos);
        }
        if (waits != null) {
            waits[0].record(waitNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void claimFailed(ClaimException.Kind kind, long waitNanos) {
        failed[kind.ordinal()].increment();
        failedWaitNanos[kind.ordinal()].add(waitNanos);
        if (waits != null) {
            waits[kind.ordinal() + 1].record(waitNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void released(long heldNanos) {
        if (heldNanos != NOT_TIMED) {
            held.record(heldNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void connected(Backend backend, long nanos) {
        BackendMeters meters = backend(backend);
        if (meters != null) {
            meters.connected.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void connectFailed(Backend backend, long nanos) {
        BackendMeters meters = backend(backend);
        if (meters != null) {
            meters.connectFailed.record(nanos, TimeUnit.NANOSECONDS);
            meters.connectFailures.increment();
        }
    }

    @Override
    public void checkFailed(Backend backend) {
        BackendMeters meters = backend(backend);
        if (meters != null) {
            meters.checkFailures.increment();
        }
    }

    @Override
    public void closed() {
        closed = true;
        meters.forEach(registry::remove);
        meters.clear();
    }

    /**
     * The connect and failure meters of {@code backend}: the pool's without backend tags; with
     * them, its own while fewer than the bound have their own, else the shared {@code other}
     * ones; {@code null} once closed. The map stops growing at the bound (plus the backends of
     * connects racing past it).
     */
    private BackendMeters backend(Backend backend) {
        if (closed) {
            return null;
        }
        if (untagged != null) {
            return untagged;
        }
        String name = backend.toString();
        BackendMeters known = backends.get(name);
        if (known != null) {
            return known;
        }
        if (tagged.get() >= maxTaggedBackends) {
            return other();
        }
        return backends.computeIfAbsent(name, key -> tagged.getAndIncrement() < maxTaggedBackends
                ? new BackendMeters(tags.and("backend", key)) : other());
    }

    /** Made at most twice if connects race; the registry returns the same meters for the same tags. */
    private BackendMeters other() {
        BackendMeters shared = other;
        if (shared == null) {
            shared = new BackendMeters(tags.and("backend", OTHER_BACKENDS));
            other = shared;
        }
        return shared;
    }

    /** The meters of one backend tag (or of the pool, untagged). */
    private final class BackendMeters {
        final Timer connected;
        final Timer connectFailed;
        final Counter connectFailures;
        final Counter checkFailures;

        BackendMeters(Tags tags) {
            connected = add(connectTimer(tags.and("outcome", "success")));
            connectFailed = add(connectTimer(tags.and("outcome", "failure")));
            connectFailures = add(Counter.builder("qorb.connect.failures").description("Connects that failed or"
                    + " timed out").tags(tags).register(registry));
            checkFailures = add(Counter.builder("qorb.check.failures").description("Health checks, recycles and"
                    + " onAcquire calls that failed").tags(tags).register(registry));
        }

        private Timer connectTimer(Tags tags) {
            return Timer.builder("qorb.connect").description("How long connects took, by outcome").tags(tags)
                    .register(registry);
        }
    }

    /**
     * The claim counter and wait meter of one outcome: a count and a total read from adders, or,
     * with the histogram on, a timer recorded on each claim ({@code waits[index]}).
     */
    private <T> void claimMeters(int index, String outcome, T counted, ToDoubleFunction<T> count,
            LongAdder waitNanos) {
        Tags outcomeTags = tags.and("outcome", outcome);
        String description = "Time from claim to connection, or to failure";
        add(FunctionCounter.builder("qorb.claims", counted, count).description("Claims by outcome")
                .tags(outcomeTags).register(registry));
        if (waits != null) {
            waits[index] = add(Timer.builder("qorb.claims.wait").description(description).tags(outcomeTags)
                    .publishPercentileHistogram().register(registry));
        } else {
            add(FunctionTimer.builder("qorb.claims.wait", counted, c -> (long) count.applyAsDouble(c),
                    c -> waitNanos.sum(), TimeUnit.NANOSECONDS).description(description).tags(outcomeTags)
                    .register(registry));
        }
    }

    private void dnsLookups(Pool<?> pool) {
        if (pool.resolver() instanceof DnsResolver dns) {
            for (LookupOutcome outcome : LookupOutcome.values()) {
                add(FunctionCounter.builder("qorb.dns.lookups", dns, resolver -> resolver.lookups(outcome))
                        .description("DNS lookups of the pool's backends, by outcome")
                        .tags(tags.and("outcome", outcome.name().toLowerCase(Locale.ROOT))).register(registry));
            }
        }
    }

    private void gauge(Pool<?> pool, String name, String description, Tags gaugeTags,
            ToDoubleFunction<PoolStats> value) {
        add(Gauge.builder(name, pool, p -> value.applyAsDouble(p.stats())).description(description).tags(gaugeTags)
                .register(registry));
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    private static int slots(BackendStats backend, String state) {
        return switch (state) {
            case "connecting" -> backend.connecting();
            case "idle" -> backend.unclaimed();
            case "checking" -> backend.checking();
            default -> backend.claimed();
        };
    }

    private static String outcome(ClaimException.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static LongAdder[] adders() {
        LongAdder[] adders = new LongAdder[ClaimException.Kind.values().length];
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }
}
