package dev.qorb.pool;

import dev.qorb.Backend;
import dev.qorb.Handle;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.PoolState;
import dev.qorb.PoolStats;
import dev.qorb.Secrets;
import dev.qorb.connector.Connector;
import dev.qorb.metrics.MetricsTracker;
import dev.qorb.metrics.MetricsTrackerFactory;
import dev.qorb.resolver.Resolver;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool: it puts its parts together and implements {@link Pool} over them. Build one with
 * {@link Pool#builder}; this class is public only so that {@code Pool.Builder} (and the
 * benchmarks, through {@link #rebalanceNow()}) can reach it.
 *
 * <p>The parts, each one concept: {@link BlockingClaim} and {@link AsyncClaims} (the claims),
 * {@link Lending} (the only code that makes a slot idle or claimed) with its
 * {@link ClaimQueue}, {@link CallerHooks} (the claim hooks in the claimer's thread) and
 * {@link HookWatchdog}, {@link Handles} (handing out and taking back), {@link SlotLifecycle}
 * (connect, check, recycle, reconnect, terminate) over {@link ConnectorCalls} lanes,
 * {@link PoolLife} (the pool's state), {@link Backends} (the slot sets), {@link Rebalance} and
 * {@link SlotTargets} (the plan) run by the {@link RebalanceScheduler}.
 *
 * <p>Thread-safety: claims and releases run in the callers' threads without a pool-wide lock;
 * resolver updates, rebalancing, drain and close are serialized by the rebalance lock, which
 * no claim takes.
 *
 * @param <C> the connection type
 */
public final class QorbPool<C> implements Pool<C> {

    private static final Logger log = LoggerFactory.getLogger(QorbPool.class);
    /** Longer waits are treated as this one, so that deadlines never overflow. */
    private static final Duration LONGEST_WAIT = Duration.ofDays(365L * 100);

    private final String name;
    /** Written by {@link #resize}; read by the rebalance and claims. Only sizing fields ever change. */
    private volatile Policy policy;
    private final Resolver resolver;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Supplier<RandomGenerator> random;
    private final PoolLife life;
    private final Backends<C> backends = new Backends<>();
    private final Lending<C> lending;
    private final SlotLifecycle<C> lifecycle;
    private final CallerHooks<C> callerHooks;
    private final Handles<C> handles;
    private final ClaimFailures failures;
    private final Rebalance<C> rebalance;
    private final RebalanceScheduler rebalances;
    private final BlockingClaim<C> blocking;
    private final AsyncClaims<C> async;
    /** Written last in the constructor: its factory is given the pool; read by claims and the lifecycle. */
    private final MetricsTracker tracker;
    /** Written once by start; null when the connector has no claim hooks. */
    private volatile HookWatchdog<C> watchdog;
    /** The last rebalance's {@link Rebalance.Result#roomToGrow()}; true until the first. */
    private volatile boolean roomToGrow = true;

    QorbPool(String name, Connector<C> connector, Resolver resolver, Policy policy, Threads threads, Clock clock,
            Supplier<RandomGenerator> random, MetricsTrackerFactory metrics) {
        this.name = Objects.requireNonNull(name, "name");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.scheduler = threads.scheduler();
        this.clock = clock;
        this.random = random;
        this.life = new PoolLife(name);
        ClaimQueue<C> queue = new ClaimQueue<>(policy.maxWaiters(),
                policy.targetClaimDelay().map(target -> new ClaimDelay(target.toNanos())).orElse(null));
        this.failures = new ClaimFailures(name, resolver, () -> this.policy, backends, life, queue);
        this.lending = new Lending<>(queue, failures, clock, slot -> lifecycle().lend(slot), this::sparesToKeep,
                () -> rebalances().request());
        ConnectorCalls calls = new ConnectorCalls(name, threads.executor(), scheduler, threads.compensation(), clock,
                policy.maxConnectorCalls(), true);
        ConnectorCalls closes = new ConnectorCalls(name, threads.executor(), scheduler, threads.compensation(), clock,
                policy.maxConnectorCalls(), false);
        this.lifecycle = new SlotLifecycle<>(name, Objects.requireNonNull(connector, "connector"), policy, lending,
                new LifecycleEvents(), calls, closes, scheduler, clock, random, this::tracker);
        this.callerHooks = new CallerHooks<>(name, connector, policy.backend(), lifecycle, clock);
        this.handles = new Handles<>(name, lifecycle, callerHooks, scheduler, clock,
                policy.leakDetectionThreshold().map(Duration::toNanos).orElse(0L));
        this.rebalance = new Rebalance<>(name, () -> this.policy, random.get().nextLong(), lifecycle, life::openSlots,
                this::removed, () -> rebalances().requestIn(scheduler, Rebalance.MOVE_AFTER_NANOS));
        this.rebalances = new RebalanceScheduler(name, threads.executor(), this::rebalanceStep, this::updateState,
                life::closing);
        this.blocking = new BlockingClaim<>(lending, callerHooks, handles, lifecycle, failures, this::wantGrowth, clock);
        this.async = new AsyncClaims<>(lending, callerHooks, handles, lifecycle, failures, this::wantGrowth, calls,
                scheduler, threads.callbacks(), clock, policy.backend().healthCheckTimeout().toNanos());
        // Last: the factory is given this pool, which must be whole by then.
        this.tracker = GuardedTracker.of(name, metrics.create(this));
        handles.trackerReady(tracker);
    }

    /**
     * The threads a pool runs on.
     *
     * @param scheduler timers; its tasks never block
     * @param executor connector calls and rebalances
     * @param compensation how {@code executor} grows while abandoned calls hold its threads
     * @param callbacks where async claims' futures complete
     */
    record Threads(ScheduledExecutorService scheduler, Executor executor, ConnectorCalls.Compensation compensation,
            Executor callbacks) {
    }

    /**
     * Builds and starts a pool; {@code null} executors mean the defaults (the shared scheduler
     * and workers; for callbacks, {@link CompletableFuture}'s default async executor). Called by
     * {@link Pool.Builder#build()}.
     */
    public static <C> Pool<C> start(String name, Connector<C> connector, Resolver resolver, Policy policy,
            ScheduledExecutorService scheduler, Executor executor, Executor callbacks, MetricsTrackerFactory metrics) {
        QorbPool<C> pool = new QorbPool<>(name, connector, resolver, policy, new Threads(
                scheduler != null ? scheduler : SharedExecutors.scheduler(),
                executor != null ? executor : SharedExecutors.workers(),
                executor != null ? ConnectorCalls.Compensation.NONE : SharedExecutors.compensation(),
                callbacks != null ? callbacks : new CompletableFuture<Void>().defaultExecutor()),
                Clock.SYSTEM, ThreadLocalRandom::current, metrics);
        pool.start();
        return pool;
    }

    void start() {
        rebalances.start(scheduler, policy.rebalanceInterval().toNanos());
        if (callerHooks.runsHooks()) {
            watchdog = new HookWatchdog<>(backends::withSlots, lifecycle::closeUnderLateHook,
                    policy.backend().healthCheckTimeout().toNanos(), scheduler, clock);
        }
        try {
            resolver.start(this::onBackends);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("pool '{}' started with {} and {}", name, Secrets.mask(resolver.toString()), policy);
    }

    private SlotLifecycle<C> lifecycle() {
        return lifecycle;
    }

    private RebalanceScheduler rebalances() {
        return rebalances;
    }

    private MetricsTracker tracker() {
        return tracker;
    }

    private void onBackends(Map<String, Backend> reported) {
        if (!life.closing()) {
            backends.report(reported);
            if (failures.reportsNoBackends()) {
                lending.queue().failAll(() -> failures.reason(-1));
            }
            rebalances.request();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Policy policy() {
        return policy;
    }

    @Override
    public Resolver resolver() {
        return resolver;
    }

    @Override
    public Handle<C> claim() {
        return claim(policy.claimTimeout());
    }

    @Override
    public Handle<C> claim(Duration timeout) {
        return blocking.claim(waitNanos(timeout));
    }

    @Override
    public CompletableFuture<Handle<C>> claimAsync() {
        return async.claim(waitNanos(policy.claimTimeout()));
    }

    @Override
    public PoolStats stats() {
        return new PoolStats(name, life.state(), backends.stats(clock.nanoTime()), backends.claims(),
                handles.failedClaims(), lending.queue().waiting());
    }

    @Override
    public PoolState state() {
        return life.state();
    }

    @Override
    public boolean drain(String backendName) {
        return setDraining(backendName, true);
    }

    @Override
    public boolean undrain(String backendName) {
        return setDraining(backendName, false);
    }

    private boolean setDraining(String backendName, boolean draining) {
        SlotSet<C> set = backends.named(backendName);
        if (set == null) {
            return false;
        }
        set.draining(draining);
        log.info("pool '{}': backend {} {} by an operator", name, set, draining ? "drained" : "undrained");
        rebalances.request();
        return true;
    }

    @Override
    public void resize(UnaryOperator<Policy.Builder> change) {
        Objects.requireNonNull(change, "change");
        rebalances.locked(() -> {
            Policy current = policy;
            Policy next = change.apply(current.toBuilder()).build();
            Policy sizingOnly = current.toBuilder().sparesWanted(next.sparesWanted()).maxSlots(next.maxSlots())
                    .backend(b -> b.maxSlots(next.backend().maxSlots())).build();
            if (!sizingOnly.equals(next)) {
                throw new IllegalArgumentException("pool '" + name + "': only sparesWanted, maxSlots and"
                        + " backend.maxSlots can change on a running pool; build a new pool to change the others");
            }
            policy = next;
            log.info("pool '{}' resized: sparesWanted {}, maxSlots {}, backend.maxSlots {}", name,
                    next.sparesWanted(), next.maxSlots(), next.backend().maxSlots());
        });
        rebalances.request();
    }

    @Override
    public void resolveNow() {
        resolver.resolveNow();
    }

    @Override
    public void close() {
        if (!life.startClosing()) {
            return;
        }
        rebalances.stop();
        HookWatchdog<C> watch = watchdog;
        if (watch != null) {
            watch.stop();
        }
        try {
            resolver.close();
        } catch (RuntimeException e) {
            log.warn("pool '{}': closing the resolver failed: {}", name, SlotSet.describe(e));
        }
        lending.queue().failAll(failures::closed);
        int[] claimed = new int[1];
        rebalances.locked(() -> {
            lending.publish(ClaimOrder.empty());
            claimed[0] = ClaimFailures.claimedNow(backends.withSlots());
            for (SlotSet<C> set : backends.withSlots()) {
                set.markRemoved();
                for (Slot<C> slot : set.slots()) {
                    lifecycle.retire(slot);
                }
            }
        });
        life.stopIfDone();
        tracker.closed();
        log.info("pool '{}' closed{}", name, claimed[0] == 0 ? ""
                : "; " + claimed[0] + " claimed connections will be closed as they are returned");
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return life.awaitStopped(waitNanos(timeout));
    }

    /**
     * Runs one rebalance in the calling thread and waits for nothing else: the seam through which
     * the benchmarks time a rebalance. Not for applications.
     */
    public void rebalanceNow() {
        rebalances.runNow();
    }

    private void rebalanceStep() {
        ejectRequested();
        Rebalance.Result<C> result = rebalance.run(backends.reported(), backends.sets(), clock.nanoTime());
        backends.sets(result.sets());
        lending.publish(result.order());
        roomToGrow = result.roomToGrow();
        lending.serveWaitersFromIdleSlots();
    }

    /**
     * Outlier ejection: a backend whose connections failed {@code ejectAfterFailures} times in a
     * row lends nothing for a while (1 s doubling per ejection up to max backoff), and connects
     * anew before it lends again. Never more than half of the online backends are out at once,
     * so ejection cannot take a service down. Under the rebalance lock.
     */
    private void ejectRequested() {
        int online = 0;
        int ejected = 0;
        for (SlotSet<C> set : backends.sets()) {
            if (set.ejected()) {
                ejected++;
            } else if (set.lending() && set.online()) {
                online++;
            }
        }
        for (SlotSet<C> set : backends.sets()) {
            if (!set.takeEjectionRequest() || set.ejected() || !set.lending()) {
                continue;
            }
            if ((ejected + 1) * 2 > online + ejected) {
                log.debug("pool '{}': backend {} keeps failing but is not ejected: half of the online backends would be out",
                        name, set);
                continue;
            }
            set.ejected(true);
            online--;
            ejected++;
            long nanos = Math.min(policy.backend().maxBackoff().toNanos(),
                    TimeUnit.SECONDS.toNanos(1) << Math.min(set.ejections() - 1, 30));
            log.warn("pool '{}': backend {} ejected for {} ms: its connections failed {} times in a row{}", name, set,
                    TimeUnit.NANOSECONDS.toMillis(nanos), policy.backend().ejectAfterFailures(),
                    set.lastFailure().map(f -> "; last: " + f.description()).orElse(""));
            scheduler.schedule(() -> {
                set.ejected(false);
                log.info("pool '{}': backend {} readmitted after its ejection; it connects anew", name, set);
                rebalances.request();
            }, nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void removed(SlotSet<C> set) {
        backends.removed(set);
        for (Slot<C> slot : set.slots()) {
            lifecycle.retire(slot);
        }
        log.info("pool '{}': backend {} removed by the resolver", name, set);
    }

    /** A claim is about to wait: more slots may help. */
    private void wantGrowth() {
        if (mayGrow()) {
            rebalances.request();
        }
    }

    /**
     * Whether the pool may open more slots: below max slots, and some backend below the most
     * it may hold. Claims that use up the spares or wait ask for a rebalance only then, so a
     * busy pool whose backends are all full does not keep the rebalance running back to back.
     */
    private boolean mayGrow() {
        return roomToGrow && life.openSlots() < policy.maxSlots();
    }

    /**
     * The unclaimed slots a claim should leave, or else ask for a rebalance: qorb restores the
     * spares when claims use them up, which needs room to grow.
     */
    private int sparesToKeep() {
        // sparesWanted may exceed maxSlots; the pool never holds more than maxSlots unclaimed.
        return mayGrow() ? Math.min(policy.sparesWanted(), policy.maxSlots()) : 0;
    }

    private void updateState() {
        life.update(backends.sets(), clock.nanoTime(), () -> failures.reason(-1),
                () -> lending.queue().failAll(() -> failures.reason(-1)));
    }

    private static long waitNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative but was " + timeout);
        }
        return (timeout.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : timeout).toNanos();
    }

    @Override
    public String toString() {
        return "QorbPool[" + name + ", " + life.state() + "]";
    }

    /** What the pool does when a slot's life changes. */
    private final class LifecycleEvents implements SlotLifecycle.Listener<C> {
        @Override
        public void slotAdded(Slot<C> slot) {
            life.slotAdded();
        }

        @Override
        public void slotTerminated(Slot<C> slot) {
            life.slotTerminated();
            if (!life.closing()) {
                // Room freed under max slots may let another backend grow.
                rebalances.request();
            }
        }

        @Override
        public void connectionOpened() {
            life.connectionOpened();
        }

        @Override
        public void connectionClosed() {
            life.connectionClosed();
        }

        @Override
        public void backendOnline(SlotSet<C> set) {
            log.info("pool '{}': backend {} is online", name, set);
            updateState();
            rebalances.request();
        }

        @Override
        public void backendOffline(SlotSet<C> set) {
            if (set.lending()) {
                log.warn("pool '{}': backend {} is offline{}", name, set,
                        set.lastFailure().map(f -> ": " + f.description()).orElse(""));
            } else {
                log.info("pool '{}': backend {} is {}: its last connection is closed", name, set,
                        set.removed() ? "removed" : set.ejected() ? "ejected" : "drained");
            }
            updateState();
            rebalances.request();
        }

        @Override
        public void connectFailed(SlotSet<C> set, int inARow) {
            // Connects to this backend started failing, or none is online: the service may have
            // moved, so the resolver may look again soon (it rate-limits itself).
            if (inARow == 1 || backends.sets().stream().noneMatch(SlotSet::online)) {
                resolver.troubleSeen();
            }
            if (set.failing(clock.nanoTime())) {
                updateState();
            }
            // A backend that never connected counted as online for the plan until now: its
            // share, or its priority, moves elsewhere, which claims may not ask for when
            // every backend was at its capacity.
            if (inARow == 1 && !set.online()) {
                rebalances.request();
            }
        }

        @Override
        public void connectionFailed(SlotSet<C> set, int inARow) {
            int threshold = policy.backend().ejectAfterFailures();
            if (threshold > 0 && inARow >= threshold && !set.ejected() && set.requestEjection()) {
                rebalances.request();
            }
        }
    }
}
