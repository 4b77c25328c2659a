package dev.qorb.pool;

import dev.qorb.Policy;
import dev.qorb.connector.Connector;
import dev.qorb.event.AttemptEvent;
import dev.qorb.event.BackendStateChangeEvent;
import dev.qorb.event.ConnectEvent;
import dev.qorb.event.HealthCheckEvent;
import dev.qorb.event.RecycleEvent;
import dev.qorb.event.SlotStateChangeEvent;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves slots through their life off the claim path: connect with backoff, health checks,
 * recycling, reconnecting and termination. Every connector call runs on the executor,
 * bounded by the policy; timers run on the scheduler and only submit work.
 *
 * <p>Thread-safety: each method is called by the current owner of the slot it is given
 * (see {@link SlotState}), except {@link #retire}, which may be called by anyone and takes
 * the slot only when it can prove ownership (a CAS from idle, or cancelling a pending
 * backoff timer before it ran).
 *
 * @param <C> the connection type
 */
final class SlotDriver<C> {

    /** What the pool hears from the driver. Called on driver threads; must not block. */
    interface Listener<C> {
        void slotAdded(Slot<C> slot);

        void backendOnline(SlotSet<C> set);

        void backendOffline(SlotSet<C> set);

        /** A connect succeeded after {@code nanos}. */
        void connected(SlotSet<C> set, long nanos);

        /** A connect failed or timed out after {@code nanos}. */
        void connectFailed(SlotSet<C> set, long nanos);

        /** A health check or recycle failed. */
        void checkFailed(SlotSet<C> set);

        void slotTerminated(Slot<C> slot);
    }

    private static final Logger log = LoggerFactory.getLogger(SlotDriver.class);

    private final String pool;
    private final Connector<C> connector;
    private final ConnectorHooks hooks;
    private final ClaimQueue<C> queue;
    private final Listener<C> listener;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService executor;
    private final Clock clock;
    private final Supplier<RandomGenerator> random;
    private final Backoff backoff;
    private final long connectTimeoutNanos;
    private final long hookTimeoutNanos;
    /** Health-check period in nanoseconds, or 0 for never. */
    private final long healthIntervalNanos;

    SlotDriver(String pool, Connector<C> connector, Policy policy, ClaimQueue<C> queue, Listener<C> listener,
            ScheduledExecutorService scheduler, ExecutorService executor, Clock clock,
            Supplier<RandomGenerator> random) {
        this.pool = pool;
        this.connector = connector;
        this.hooks = ConnectorHooks.of(connector);
        this.queue = queue;
        this.listener = listener;
        this.scheduler = scheduler;
        this.executor = executor;
        this.clock = clock;
        this.random = random;
        this.backoff = new Backoff(policy.backend());
        this.connectTimeoutNanos = policy.backend().connectTimeout().toNanos();
        this.hookTimeoutNanos = policy.backend().healthCheckTimeout().toNanos();
        this.healthIntervalNanos = policy.backend().healthInterval().map(d -> d.toNanos()).orElse(0L);
    }

    ConnectorHooks hooks() {
        return hooks;
    }

    /** The pause before a claim tries again after its {@code failures}-th failed {@code onAcquire}. */
    long retryDelayNanos(int failures) {
        return backoff.delayNanos(failures, random.get());
    }

    /** Adds a slot to {@code set} and starts its first connect. */
    void grow(SlotSet<C> set) {
        Slot<C> slot = set.addSlot();
        listener.slotAdded(slot);
        connect(slot);
    }

    /** A handle gave its slot back: check it if the connector recycles, else lend it again at once (in this thread). */
    void released(Slot<C> slot) {
        if (!hooks.recycles()) {
            available(slot);
            return;
        }
        moveTo(slot, SlotState.RECYCLING);
        runCheck(slot, new RecycleEvent(), () -> connector.onRecycle(slot.connection));
    }

    /** A handle invalidated its slot: close the connection and connect anew. */
    void invalidated(Slot<C> slot) {
        reconnect(slot);
    }

    /**
     * Stops lending {@code slot}: terminated now if idle or waiting out a backoff, else by its
     * owner when it next comes free (a claimed slot when its handle returns).
     */
    void retire(Slot<C> slot) {
        if (slot.retire()) {
            stop(slot);
        }
    }

    /**
     * Terminates a retired slot now if it is idle or waiting out a backoff; otherwise its
     * owner will, when it sees the mark.
     */
    void stop(Slot<C> slot) {
        if (slot.idleToTerminated()) {
            terminate(slot, SlotState.IDLE);
            return;
        }
        ScheduledFuture<?> pendingRetry = slot.backoffTimer;
        if (pendingRetry != null && pendingRetry.cancel(false)) {
            terminate(slot, SlotState.CONNECTING);
        }
    }

    /** The owner's way to lend a slot that came free: to a waiter, or idle; unless it must leave. */
    void available(Slot<C> slot) {
        if (slot.retired() || slot.set.retireIfUnwanted(slot)) {
            terminate(slot, slot.state());
        } else {
            queue.offer(slot);
        }
    }

    private void connect(Slot<C> slot) {
        slot.backoffTimer = null;
        if (slot.retired()) {
            terminate(slot, SlotState.CONNECTING);
            return;
        }
        ConnectEvent event = new ConnectEvent();
        event.begin();
        long started = clock.nanoTime(); // metrics-tracker
        BoundedCall.submit(executor, scheduler, connectTimeoutNanos, () -> connector.connect(slot.set.backend()),
                new BoundedCall.Outcome<C>() {
                    @Override
                    public void completed(C connection, Throwable error) {
                        if (error == null && connection == null) {
                            error = new IllegalStateException("Connector.connect returned null");
                        }
                        commit(event, slot, error);
                        if (error == null) {
                            listener.connected(slot.set, clock.nanoTime() - started); // metrics-tracker
                            connected(slot, connection);
                        } else {
                            connectFailed(slot, error, clock.nanoTime() - started);
                        }
                    }

                    @Override
                    public void timedOut(TimeoutException timeout) {
                        commit(event, slot, timeout);
                        connectFailed(slot, timeout, clock.nanoTime() - started);
                    }
                }, this::closeQuietly);
    }

    private void connected(Slot<C> slot, C connection) {
        if (slot.retired()) {
            closeQuietly(connection);
            terminate(slot, SlotState.CONNECTING);
            return;
        }
        slot.connection = connection;
        slot.generation++;
        slot.failuresInARow = 0;
        slot.validatedAtNanos = clock.nanoTime();
        if (slot.set.connectionOpened()) {
            backendEvent(slot.set, true);
            listener.backendOnline(slot.set);
        }
        stateEvent(slot, SlotState.CONNECTING, SlotState.IDLE);
        armHealthCheck(slot);
        available(slot);
    }

    private void connectFailed(Slot<C> slot, Throwable error, long nanos) {
        slot.set.recordFailure(clock.nanoTime(), error, true);
        slot.failuresInARow++;
        log.debug("pool '{}': connect to {} failed ({} in a row): {}", pool, slot.set, slot.failuresInARow,
                SlotSet.describe(error));
        listener.connectFailed(slot.set, nanos); // metrics-tracker: the duration
        if (slot.retired()) {
            terminate(slot, SlotState.CONNECTING);
            return;
        }
        long delay = backoff.delayNanos(slot.failuresInARow, random.get());
        slot.backoffTimer = scheduler.schedule(() -> connect(slot), delay, TimeUnit.NANOSECONDS);
        // retire() may have run between our check and the timer's publication.
        ScheduledFuture<?> pendingRetry = slot.backoffTimer;
        if (slot.retired() && pendingRetry != null && pendingRetry.cancel(false)) {
            terminate(slot, SlotState.CONNECTING);
        }
    }

    private void armHealthCheck(Slot<C> slot) {
        if (healthIntervalNanos > 0) {
            armHealthCheck(slot, slot.generation, healthIntervalNanos);
        }
    }

    private void armHealthCheck(Slot<C> slot, int generation, long delayNanos) {
        long delay = delayNanos + backoff.spreadNanos(random.get());
        slot.healthTimer = scheduler.schedule(() -> healthDue(slot, generation), delay, TimeUnit.NANOSECONDS);
    }

    /** On the scheduler: check the slot if it has been idle for a whole interval. */
    private void healthDue(Slot<C> slot, int generation) {
        if (slot.generation != generation || slot.state() == SlotState.TERMINATED) {
            return;
        }
        long sinceValidated = clock.nanoTime() - slot.validatedAtNanos;
        if (sinceValidated < healthIntervalNanos) {
            armHealthCheck(slot, generation, healthIntervalNanos - sinceValidated);
        } else if (slot.idleToChecking()) {
            stateEvent(slot, SlotState.IDLE, SlotState.CHECKING);
            runCheck(slot, new HealthCheckEvent(), () -> connector.isValid(slot.connection));
        } else {
            // Claimed or being recycled: onRecycle validates it on return.
            armHealthCheck(slot, generation, healthIntervalNanos);
        }
    }

    /** Runs isValid or onRecycle on a slot this call owns (CHECKING or RECYCLING). */
    private void runCheck(Slot<C> slot, AttemptEvent event, Callable<Boolean> check) {
        event.begin();
        BoundedCall.submit(executor, scheduler, hookTimeoutNanos, check, new BoundedCall.Outcome<Boolean>() {
            @Override
            public void completed(Boolean valid, Throwable error) {
                if (error == null && !Boolean.TRUE.equals(valid)) {
                    error = new IllegalStateException("the connector found the connection invalid");
                }
                commit(event, slot, error);
                checked(slot, error);
            }

            @Override
            public void timedOut(TimeoutException timeout) {
                commit(event, slot, timeout);
                // Off the scheduler: closing the connection may block.
                executor.execute(() -> checked(slot, timeout));
            }
        }, valid -> { });
    }

    private void checked(Slot<C> slot, Throwable error) {
        if (error == null) {
            slot.validatedAtNanos = clock.nanoTime();
            if (slot.state() == SlotState.CHECKING) {
                armHealthCheck(slot);
            }
            available(slot);
            return;
        }
        log.debug("pool '{}': {} failed its check: {}", pool, slot, SlotSet.describe(error));
        slot.set.recordFailure(clock.nanoTime(), error, false);
        listener.checkFailed(slot.set); // metrics-tracker
        reconnect(slot);
    }

    /** Closes the owned slot's connection and connects anew (or terminates a retired slot). */
    private void reconnect(Slot<C> slot) {
        C connection = detach(slot);
        moveTo(slot, SlotState.CONNECTING);
        executor.execute(() -> {
            closeQuietly(connection);
            connect(slot);
        });
    }

    /** Ends an owned slot: closes its connection, if any, and removes it from its set. */
    private void terminate(Slot<C> slot, SlotState from) {
        C connection = detach(slot);
        slot.moveTo(SlotState.TERMINATED);
        stateEvent(slot, from, SlotState.TERMINATED);
        if (connection != null) {
            closeQuietly(connection);
        }
        slot.set.removeSlot(slot);
        listener.slotTerminated(slot);
    }

    /** Takes the connection out of an owned slot, with the online accounting. */
    private C detach(Slot<C> slot) {
        ScheduledFuture<?> health = slot.healthTimer;
        if (health != null) {
            health.cancel(false);
            slot.healthTimer = null;
        }
        C connection = slot.connection;
        if (connection == null) {
            return null;
        }
        slot.connection = null;
        if (slot.set.connectionClosed()) {
            backendEvent(slot.set, false);
            listener.backendOffline(slot.set);
        }
        return connection;
    }

    void closeQuietly(C connection) {
        try {
            connector.close(connection);
        } catch (Exception | LinkageError e) {
            log.warn("pool '{}': closing a connection failed: {}", pool, SlotSet.describe(e));
        }
    }

    private void moveTo(Slot<C> slot, SlotState next) {
        SlotState from = slot.state();
        slot.moveTo(next);
        stateEvent(slot, from, next);
    }

    private void stateEvent(Slot<C> slot, SlotState from, SlotState to) {
        SlotStateChangeEvent event = new SlotStateChangeEvent();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.backend = slot.set.backend().toString();
            event.slot = slot.id;
            event.from = from.name();
            event.to = to.name();
            event.commit();
        }
    }

    private void backendEvent(SlotSet<C> set, boolean online) {
        BackendStateChangeEvent event = new BackendStateChangeEvent();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.backend = set.backend().toString();
            event.online = online;
            event.commit();
        }
    }

    private void commit(AttemptEvent event, Slot<C> slot, Throwable error) {
        event.end();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.backend = slot.set.backend().toString();
            event.success = error == null;
            event.error = error == null ? null : SlotSet.describe(error);
            event.commit();
        }
    }
}
