package dev.qorb.pool;

import dev.qorb.Backend;
import dev.qorb.BackendStats;
import dev.qorb.ClaimException;
import dev.qorb.Handle;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.PoolState;
import dev.qorb.PoolStats;
import dev.qorb.Secrets;
import dev.qorb.connector.Connector;
import dev.qorb.event.ClaimEvent;
import dev.qorb.event.ReleaseEvent;
import dev.qorb.metrics.MetricsTracker;
import dev.qorb.metrics.MetricsTrackerFactory;
import dev.qorb.resolver.Resolver;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool. Build one with {@link Pool#builder}; this class is public only so that
 * {@code Pool.Builder} can reach it.
 *
 * <p>Thread-safety: claims and releases run in the callers' threads without a pool-wide
 * lock: a claim reads the published {@link ClaimOrder} and takes an idle slot by CAS; only
 * when none is idle does it queue in the {@link ClaimQueue}. Resolver updates, rebalancing,
 * drain and close are serialized by {@code rebalanceLock}, which no claim takes.
 * <p>Invariants: {@code openSlots} counts the slots not yet terminated, over all backends,
 * removed ones included; the pool is {@link PoolState#STOPPED} exactly when it is closing and
 * that count is zero. {@code order} holds only backends that may lend.
 *
 * @param <C> the connection type
 */
public final class QorbPool<C> implements Pool<C> {

    private static final Logger log = LoggerFactory.getLogger(QorbPool.class);
    /** Longer waits are treated as this one, so that deadlines never overflow. */
    private static final Duration LONGEST_WAIT = Duration.ofDays(365L * 100);
    /** One claim in this many has its hold timed for the metrics tracker (a power of two). */
    private static final int HOLD_SAMPLE = 32;

    private final String name;
    private final Policy policy;
    private final Connector<C> connector;
    private final Resolver resolver;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService executor;
    private final Clock clock;
    private final Supplier<RandomGenerator> random;
    private final ClaimQueue<C> queue;
    private final SlotDriver<C> driver;
    private final long hookTimeoutNanos;
    /** 0 when leak detection is off. */
    private final long leakThresholdNanos;
    /** Assigned last in the constructor, since its factory is given the pool; no thread uses it before start. */
    private final MetricsTracker tracker;
    /** Whether a tracker listens, so that holds are sampled for it. */
    private final boolean sampleHolds;

    /** Written by the rebalancer; read by every claim. */
    private volatile ClaimOrder<C> order = ClaimOrder.empty();
    /** Written by the rebalancer under {@code rebalanceLock}: the backends the resolver reports now, in preference order. */
    private volatile List<SlotSet<C>> sets = List.of();
    /** Written by the resolver's thread; read by the rebalancer. {@code null} until the first report. */
    private volatile Map<String, Backend> reported;

    private final ReentrantLock rebalanceLock = new ReentrantLock();
    private final Rebalancing<C> rebalancing;
    private final ClaimFailures claimFailures;
    private final AtomicBoolean rebalanceRequested = new AtomicBoolean();
    private volatile ScheduledFuture<?> rebalanceTimer;

    private final AtomicReference<PoolState> state = new AtomicReference<>(PoolState.STARTING);
    /** Set once, when a backend first comes online. */
    private volatile boolean everOnline;
    /** Set once, under {@code rebalanceLock}, by close. */
    private volatile boolean closing;
    private final AtomicInteger openSlots = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Claims served by backends the resolver has since removed, so that the pool's total never goes down. */
    private final LongAdder claimsOfRemovedBackends = new LongAdder();
    /** Failed claims by kind, indexed by ordinal; only the slow path writes them. */
    private final LongAdder[] failedClaims = Stream.generate(LongAdder::new)
            .limit(ClaimException.Kind.values().length).toArray(LongAdder[]::new);

    QorbPool(String name, Connector<C> connector, Resolver resolver, Policy policy,
            ScheduledExecutorService scheduler, ExecutorService executor, Clock clock,
            Supplier<RandomGenerator> random, MetricsTrackerFactory metrics) {
        this.name = Objects.requireNonNull(name, "name");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.scheduler = scheduler;
        this.executor = executor;
        this.clock = clock;
        this.random = random;
        this.queue = new ClaimQueue<>(clock);
        this.driver = new SlotDriver<>(name, connector, policy, queue, new DriverEvents(), scheduler, executor,
                clock, random);
        this.rebalancing = new Rebalancing<>(name, policy, driver, this::removeSet);
        this.claimFailures = new ClaimFailures(name, resolver, policy);
        this.hookTimeoutNanos = policy.backend().healthCheckTimeout().toNanos();
        this.leakThresholdNanos = policy.leakDetectionThreshold().map(Duration::toNanos).orElse(0L);
        this.tracker = GuardedTracker.of(name, metrics.create(this)); // metrics-tracker
        this.sampleHolds = tracker != MetricsTracker.NONE;
    }

    /**
     * Builds and starts a pool; {@code null} executors mean the shared ones. Called by
     * {@link Pool.Builder#build()}.
     */
    public static <C> Pool<C> start(String name, Connector<C> connector, Resolver resolver, Policy policy,
            ScheduledExecutorService scheduler, ExecutorService executor, MetricsTrackerFactory metrics) {
        QorbPool<C> pool = new QorbPool<>(name, connector, resolver, policy,
                scheduler != null ? scheduler : SharedExecutors.scheduler(),
                executor != null ? executor : SharedExecutors.workers(),
                Clock.SYSTEM, ThreadLocalRandom::current, metrics);
        pool.start();
        return pool;
    }

    void start() {
        long interval = policy.rebalanceInterval().toNanos();
        rebalanceTimer = scheduler.scheduleWithFixedDelay(this::requestRebalance, interval, interval,
                TimeUnit.NANOSECONDS);
        try {
            resolver.start(this::onBackends);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("pool '{}' started with {} and {}", name, Secrets.mask(resolver.toString()), policy);
    }

    private void onBackends(Map<String, Backend> backends) {
        if (closing) {
            return;
        }
        reported = Map.copyOf(backends);
        requestRebalance();
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
        long timeoutNanos = waitNanos(timeout);
        ClaimEvent event = new ClaimEvent();
        event.begin();
        // The clock is read only off the fast path: System.nanoTime() costs about as much as a claim.
        boolean timed = false;
        long start = 0;
        long deadline = 0;
        for (int failures = 0; ; failures++) {
            Slot<C> slot = takeIdle();
            if (slot == null && !timed) {
                timed = true;
                start = clock.nanoTime();
                deadline = start + timeoutNanos;
            }
            if (slot == null) {
                slot = await(start, deadline, failures > 0, event);
            }
            Throwable failure = acquire(slot);
            if (failure == null) {
                // metrics-tracker: the fast path waited 0 and read no clock
                return handOut(slot, event, timed ? clock.nanoTime() - start : 0);
            }
            if (!timed) {
                timed = true;
                start = clock.nanoTime();
                deadline = start + timeoutNanos;
            }
            long left = deadline - clock.nanoTime();
            if (left <= 0) {
                throw failed(event, acquireFailed(start, failures + 1, failure), start);
            }
            // Back off as connects do, so that a connector whose onAcquire keeps failing is not spun on.
            LockSupport.parkNanos(Math.min(driver.retryDelayNanos(failures + 1), left));
        }
    }

    /**
     * The slow path: queue, then park until served, failed, the deadline or an interrupt; each
     * time the queue wakes this waiter for an idle slot, try to take it.
     */
    @SuppressWarnings("unchecked")
    private Slot<C> await(long start, long deadline, boolean retry, ClaimEvent event) {
        refuseNow(event, start);
        Waiter<C> waiter = Waiter.blocking(clock.nanoTime());
        queue.enqueue(waiter, retry);
        requestGrowth();
        if (refusing() != null && queue.withdraw(waiter)) {
            refuseNow(event, start);
        }
        Object outcome = null;
        while (outcome == null) {
            waiter.lastLook();
            Slot<C> found = takeIdle();
            if (found != null) {
                if (queue.withdraw(waiter)) {
                    return found;
                }
                driver.available(found); // served meanwhile: the slot found goes back
                outcome = waiter.outcome();
                break;
            }
            outcome = waiter.park(deadline, clock);
            if (outcome == null && (deadline - clock.nanoTime() <= 0 || Thread.currentThread().isInterrupted())) {
                if (queue.withdraw(waiter)) {
                    throw failed(event, Thread.currentThread().isInterrupted() ? claimFailures.interrupted()
                            : reason(clock.nanoTime() - start), start);
                }
                outcome = waiter.outcome();
            }
        }
        if (outcome instanceof ClaimException failure) {
            throw failed(event, failure, start);
        }
        return (Slot<C>) outcome;
    }

    @Override
    public CompletableFuture<Handle<C>> claimAsync() {
        CompletableFuture<Handle<C>> result = new CompletableFuture<>();
        long start = clock.nanoTime();
        ClaimEvent event = new ClaimEvent();
        event.begin();
        claimAsync(new AsyncClaim(result, start, start + waitNanos(policy.claimTimeout()), event), false);
        return result;
    }

    private void claimAsync(AsyncClaim claim, boolean retry) {
        Slot<C> slot = takeIdle();
        if (slot != null) {
            acquireAsync(claim, slot);
            return;
        }
        ClaimException refused = refusing();
        if (refused != null) {
            claim.result.completeExceptionally(failed(claim.event, refused, claim.start));
            return;
        }
        Waiter<C> waiter = Waiter.async(outcome -> executor.execute(() -> claim.settled(outcome)), clock.nanoTime());
        queue.enqueue(waiter, retry);
        requestGrowth();
        ScheduledFuture<?> timer = scheduler.schedule(() -> {
            if (queue.withdraw(waiter)) {
                claim.result.completeExceptionally(failed(claim.event, reason(clock.nanoTime() - claim.start),
                        claim.start));
            }
        }, claim.deadline - clock.nanoTime(), TimeUnit.NANOSECONDS);
        claim.result.whenComplete((handle, error) -> {
            timer.cancel(false);
            if (claim.result.isCancelled()) {
                queue.withdraw(waiter);
            }
        });
        Slot<C> found = takeIdle();
        if (found != null) {
            if (queue.withdraw(waiter)) {
                acquireAsync(claim, found);
            } else {
                driver.available(found);
            }
        }
    }

    /** Runs {@code onAcquire} off the caller's thread, since an async claim must not block it. */
    private void acquireAsync(AsyncClaim claim, Slot<C> slot) {
        if (claim.result.isDone()) {
            driver.available(slot);
        } else if (!driver.hooks().onAcquire()) {
            claim.complete(slot);
        } else {
            executor.execute(() -> {
                Throwable failure = acquire(slot);
                long left = claim.deadline - clock.nanoTime();
                if (failure == null) {
                    claim.complete(slot);
                } else if (left <= 0) {
                    claim.result.completeExceptionally(failed(claim.event,
                            acquireFailed(claim.start, ++claim.failures, failure), claim.start));
                } else {
                    long delay = Math.min(driver.retryDelayNanos(++claim.failures), left);
                    scheduler.schedule(() -> claimAsync(claim, true), delay, TimeUnit.NANOSECONDS);
                }
            });
        }
    }

    /**
     * Runs {@code onAcquire}, if the connector has one; a rejected slot goes back through recycling.
     *
     * @return {@code null} when the slot may be handed out, else why not
     */
    private Throwable acquire(Slot<C> slot) {
        if (!driver.hooks().onAcquire()) {
            return null;
        }
        Throwable failure = BoundedCall.runHere(scheduler, hookTimeoutNanos, () -> {
            connector.onAcquire(slot.connection);
            return null;
        });
        if (failure != null) {
            log.debug("pool '{}': onAcquire failed on {}, trying another connection: {}", name, slot,
                    SlotSet.describe(failure));
            slot.set.recordFailure(clock.nanoTime(), failure, false);
            tracker.checkFailed(slot.set.backend()); // metrics-tracker
            driver.released(slot);
        }
        return failure;
    }

    /** The claim's deadline passed while the connector's onAcquire kept rejecting connections. */
    private ClaimException acquireFailed(long start, int failures, Throwable last) {
        return claimFailures.acquireFailed(reason(clock.nanoTime() - start), failures, last);
    }

    /** The fast path: an idle slot by CAS, backends in preference order, spread over the equally good ones. */
    private Slot<C> takeIdle() {
        ClaimOrder<C> current = order;
        SlotSet<C>[] backends = current.sets();
        int random = ThreadLocalRandom.current().nextInt();
        int width = current.spreadWidth();
        int first = width > 1 ? Math.floorMod(random, width) : 0;
        for (int i = 0; i < backends.length; i++) {
            SlotSet<C> set = backends[i < width ? (first + i) % width : i];
            Slot<C> slot = set.takeIdle(random >>> 8);
            if (slot != null) {
                if (slot.retired()) {
                    driver.available(slot);
                    continue;
                }
                // qorb rebalances when a backend runs out of unclaimed slots, to restore the spares.
                if (openSlots.get() < policy.maxSlots() && !set.hasIdle()) {
                    requestRebalance();
                }
                return slot;
            }
        }
        return null;
    }

    private SlotHandle<C> handOut(Slot<C> slot, ClaimEvent event, long waitNanos) {
        slot.set.countClaim();
        tracker.claimed(waitNanos); // metrics-tracker
        // The claim time serves only leak reports, the Release event and a sample of holds for the
        // metrics tracker: read the clock only for them.
        boolean timeHold = leakThresholdNanos > 0 || new ReleaseEvent().isEnabled()
                || sampleHolds && (ThreadLocalRandom.current().nextInt() & (HOLD_SAMPLE - 1)) == 0;
        SlotHandle<C> handle = new SlotHandle<>(this, slot, timeHold ? clock.nanoTime() : 0);
        if (leakThresholdNanos > 0) {
            handle.leakTimer = scheduler.schedule(new LeakReport(name, handle, leakThresholdNanos), leakThresholdNanos,
                    TimeUnit.NANOSECONDS);
        }
        event.end();
        if (event.shouldCommit()) {
            event.pool = name;
            event.backend = slot.set.backend().toString();
            event.outcome = "claimed";
            event.commit();
        }
        return handle;
    }

    /** Called by a handle, once. */
    void release(SlotHandle<C> handle, Slot<C> slot, boolean invalidate) {
        ScheduledFuture<?> leakTimer = handle.leakTimer;
        if (leakTimer != null) {
            leakTimer.cancel(false);
        }
        // claimedAtNanos 0: this hold was not timed (see handOut).
        long held = handle.claimedAtNanos == 0 ? MetricsTracker.NOT_TIMED : clock.nanoTime() - handle.claimedAtNanos;
        tracker.released(held); // metrics-tracker
        ReleaseEvent event = new ReleaseEvent();
        if (event.shouldCommit()) {
            event.pool = name;
            event.backend = slot.set.backend().toString();
            event.held = Math.max(0, held);
            event.invalidated = invalidate;
            event.commit();
        }
        if (invalidate) {
            driver.invalidated(slot);
        } else {
            driver.released(slot);
        }
    }

    /** Throws at once when waiting cannot help: the pool is closed or has failed. */
    private void refuseNow(ClaimEvent event, long start) {
        ClaimException refused = refusing();
        if (refused != null) {
            throw failed(event, refused, start);
        }
    }

    private ClaimException refusing() {
        if (closing) {
            return closed();
        }
        return state.get() == PoolState.FAILED ? reason(-1) : null;
    }

    /** @param start when the claim started, on the pool's clock */
    private ClaimException failed(ClaimEvent event, ClaimException failure, long start) {
        failedClaims[failure.kind().ordinal()].increment();
        tracker.claimFailed(failure.kind(), clock.nanoTime() - start); // metrics-tracker
        event.end();
        if (event.shouldCommit()) {
            event.pool = name;
            event.outcome = failure.kind().name();
            event.commit();
        }
        return failure;
    }

    private ClaimException closed() {
        return claimFailures.closed();
    }

    /**
     * The most helpful reason a claim could not be served now.
     *
     * @param waitedNanos how long the claim waited, or negative when it did not wait
     */
    private ClaimException reason(long waitedNanos) {
        return claimFailures.reason(sets, reported != null, closing, queue.waiting(), waitedNanos);
    }

    @Override
    public PoolStats stats() {
        long now = clock.nanoTime();
        Map<String, BackendStats> backends = new LinkedHashMap<>();
        long claims = claimsOfRemovedBackends.sum();
        for (SlotSet<C> set : sets) {
            BackendStats stats = set.stats(now);
            backends.put(set.name(), stats);
            claims += stats.claims();
        }
        Map<ClaimException.Kind, Long> failed = new EnumMap<>(ClaimException.Kind.class);
        for (ClaimException.Kind kind : ClaimException.Kind.values()) {
            failed.put(kind, failedClaims[kind.ordinal()].sum());
        }
        return new PoolStats(name, state.get(), backends, claims, failed, queue.waiting());
    }

    @Override
    public PoolState state() {
        return state.get();
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
        for (SlotSet<C> set : sets) {
            if (set.name().equals(backendName)) {
                set.draining(draining);
                log.info("pool '{}': backend {} {}", name, set, draining ? "drained" : "undrained");
                requestRebalance();
                return true;
            }
        }
        return false;
    }

    @Override
    public void resolveNow() {
        resolver.resolveNow();
    }

    @Override
    public void close() {
        rebalanceLock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            state.set(PoolState.STOPPING);
        } finally {
            rebalanceLock.unlock();
        }
        ScheduledFuture<?> timer = rebalanceTimer;
        if (timer != null) {
            timer.cancel(false);
        }
        try {
            resolver.close();
        } catch (RuntimeException e) {
            log.warn("pool '{}': closing the resolver failed: {}", name, SlotSet.describe(e));
        }
        queue.failAll(this::closed);
        int claimed;
        rebalanceLock.lock();
        try {
            order = ClaimOrder.empty();
            claimed = ClaimFailures.claimedNow(sets);
            for (SlotSet<C> set : sets) {
                set.markRemoved();
                for (Slot<C> slot : set.slots()) {
                    driver.retire(slot);
                }
            }
        } finally {
            rebalanceLock.unlock();
        }
        if (openSlots.get() == 0) {
            markStopped();
        }
        log.info("pool '{}' closed{}", name, claimed == 0 ? ""
                : "; " + claimed + " claimed connections will be closed as they are returned");
        tracker.closed(); // metrics-tracker
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return stopped.await(waitNanos(timeout), TimeUnit.NANOSECONDS);
    }

    private void markStopped() {
        if (state.compareAndSet(PoolState.STOPPING, PoolState.STOPPED)) {
            stopped.countDown();
            log.info("pool '{}' stopped: every connection is closed", name);
        }
    }

    /** Asks for a rebalance when a waiting claim could be helped by more slots. */
    private void requestGrowth() {
        if (openSlots.get() < policy.maxSlots()) {
            requestRebalance();
        }
    }

    /** Coalesces requests: at most one rebalance is queued at a time. */
    private void requestRebalance() {
        if (closing || rebalanceRequested.get() || !rebalanceRequested.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::rebalance);
        } catch (RejectedExecutionException e) {
            rebalanceRequested.set(false);
            log.warn("pool '{}': the executor refused a rebalance: {}", name, e.toString());
        }
    }

    void rebalance() {
        rebalanceLock.lock();
        try {
            rebalanceRequested.set(false);
            if (!closing) {
                Rebalancing.Result<C> result = rebalancing.run(reported, sets, clock.nanoTime(), random.get());
                sets = result.sets();
                order = result.order();
                serveWaitersFromIdleSlots(result.order());
            }
        } catch (RuntimeException e) {
            log.error("pool '{}': rebalance failed", name, e);
        } finally {
            rebalanceLock.unlock();
        }
        updateState();
    }

    /**
     * A claim that queued while a backend was not yet in the published order may have missed
     * a slot that connected meanwhile: now that the order has it, hand such idle slots to the
     * waiters. Bounded by the number of slots, since the waiting count may lag the queue.
     */
    private void serveWaitersFromIdleSlots(ClaimOrder<C> published) {
        int slots = 0;
        for (SlotSet<C> set : published.sets()) {
            slots += set.slotCount();
        }
        for (int i = 0; i < slots && queue.waiting() > 0; i++) {
            Slot<C> idle = takeIdle();
            if (idle == null) {
                return;
            }
            driver.available(idle);
        }
    }

    private void removeSet(SlotSet<C> set) {
        set.markRemoved();
        claimsOfRemovedBackends.add(set.claims());
        for (Slot<C> slot : set.slots()) {
            driver.retire(slot);
        }
        log.info("pool '{}': backend {} removed by the resolver", name, set);
    }

    private void updateState() {
        for (;;) {
            PoolState current = state.get();
            if (current == PoolState.STOPPING || current == PoolState.STOPPED) {
                return;
            }
            PoolState next = assess();
            if (next == current) {
                return;
            }
            if (state.compareAndSet(current, next)) {
                if (next == PoolState.FAILED) {
                    ClaimException why = reason(-1);
                    log.warn("pool '{}' failed, claims fail at once until a backend connects: {}", name,
                            why.getMessage());
                    queue.failAll(() -> reason(-1));
                } else {
                    log.info("pool '{}' is {}", name, next);
                }
                return;
            }
        }
    }

    private PoolState assess() {
        boolean anyLending = false;
        boolean allFailing = true;
        for (SlotSet<C> set : sets) {
            if (!set.lending()) {
                continue;
            }
            anyLending = true;
            if (set.online()) {
                everOnline = true;
                return PoolState.RUNNING;
            }
            allFailing &= set.failuresInARow() >= PoolState.FAILED_AFTER_CONSECUTIVE_FAILURES;
        }
        if (anyLending && allFailing) {
            return PoolState.FAILED;
        }
        return everOnline ? PoolState.RUNNING : PoolState.STARTING;
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
        return "QorbPool[" + name + ", " + state.get() + "]";
    }

    /** An async claim on its way: what it completes, and its deadline. */
    private final class AsyncClaim {
        final CompletableFuture<Handle<C>> result;
        final long start;
        final long deadline;
        final ClaimEvent event;
        /** onAcquire failures so far; written by one task at a time. */
        int failures;

        AsyncClaim(CompletableFuture<Handle<C>> result, long start, long deadline, ClaimEvent event) {
            this.result = result;
            this.start = start;
            this.deadline = deadline;
            this.event = event;
        }

        /** The waiter got its outcome; on the executor. */
        @SuppressWarnings("unchecked")
        void settled(Object outcome) {
            if (outcome instanceof ClaimException failure) {
                result.completeExceptionally(failed(event, failure, start));
            } else {
                acquireAsync(this, (Slot<C>) outcome);
            }
        }

        /** Hands the slot out, or back to the pool when the caller cancelled meanwhile. */
        void complete(Slot<C> slot) {
            SlotHandle<C> handle = handOut(slot, event, clock.nanoTime() - start); // metrics-tracker
            if (!result.complete(handle)) {
                handle.close();
            }
        }
    }

    /** What the pool does when the driver reports. */
    private final class DriverEvents implements SlotDriver.Listener<C> {
        @Override
        public void slotAdded(Slot<C> slot) {
            openSlots.incrementAndGet();
        }

        @Override
        public void backendOnline(SlotSet<C> set) {
            log.info("pool '{}': backend {} is online", name, set);
            updateState();
            requestRebalance();
        }

        @Override
        public void backendOffline(SlotSet<C> set) {
            if (set.draining() && !set.removed()) {
                log.info("pool '{}': backend {} is drained: its last connection is closed", name, set);
            } else if (!set.removed()) {
                log.warn("pool '{}': backend {} is offline{}", name, set,
                        set.lastFailure().map(f -> ": " + f.description()).orElse(""));
            }
            updateState();
            requestRebalance();
        }

        @Override
        public void connected(SlotSet<C> set, long nanos) {
            tracker.connected(set.backend(), nanos); // metrics-tracker
        }

        @Override
        public void checkFailed(SlotSet<C> set) {
            tracker.checkFailed(set.backend()); // metrics-tracker
        }

        @Override
        public void connectFailed(SlotSet<C> set, long nanos) {
            tracker.connectFailed(set.backend(), nanos); // metrics-tracker
            if (set.failuresInARow() >= PoolState.FAILED_AFTER_CONSECUTIVE_FAILURES) {
                updateState();
            }
        }

        @Override
        public void slotTerminated(Slot<C> slot) {
            if (openSlots.decrementAndGet() == 0 && closing) {
                markStopped();
            } else if (!slot.set.removed()) {
                // Room freed under max slots may let another backend grow.
                requestRebalance();
            }
        }
    }
}
