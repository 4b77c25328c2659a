package dev.qorb.pool;

import dev.qorb.Policy;
import dev.qorb.connector.Connector;
import dev.qorb.event.AttemptEvent;
import dev.qorb.event.BackendStateChangeEvent;
import dev.qorb.event.ConnectEvent;
import dev.qorb.event.HealthCheckEvent;
import dev.qorb.event.SlotStateChangeEvent;
import dev.qorb.metrics.MetricsTracker;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves slots through their life off the claim path: connect with backoff, health checks,
 * recycling, reconnecting and termination (the transitions are tabled on {@link Slot}).
 * Connector calls go through the pool's {@link ConnectorCalls} lanes: {@code calls} for
 * connect and checks, {@code closes} for {@code close}, so a connector's {@code close} never
 * runs on a claimer's or a releasing thread.
 *
 * <p>Thread-safety: each method is called by the current owner of the slot it is given,
 * except {@link #retire}, which anyone may call and which acts only through a CAS out of a
 * state nobody owns.
 *
 * @param <C> the connection type
 */
final class SlotLifecycle<C> {

    /** What the pool hears. Called on background or claimer threads; must not block. */
    interface Listener<C> {
        void slotAdded(Slot<C> slot);

        void slotTerminated(Slot<C> slot);

        void connectionOpened();

        void connectionClosed();

        void backendOnline(SlotSet<C> set);

        void backendOffline(SlotSet<C> set);

        /** A connect to {@code set} failed; {@code inARow} connect failures now, this one included. */
        void connectFailed(SlotSet<C> set, int inARow);

        /** A connection of {@code set} failed in use or in a check; {@code inARow} such failures now. */
        void connectionFailed(SlotSet<C> set, int inARow);
    }

    private static final Logger log = LoggerFactory.getLogger(SlotLifecycle.class);

    private final String pool;
    private final Connector<C> connector;
    private final ConnectorHooks hooks;
    private final Lending<C> lending;
    private final Listener<C> listener;
    private final ConnectorCalls calls;
    private final ConnectorCalls closes;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Supplier<RandomGenerator> random;
    private final Backoff backoff;
    private final long connectTimeoutNanos;
    private final long hookTimeoutNanos;
    /** Health-check period in nanoseconds, or 0 for never. */
    private final long healthIntervalNanos;
    /** Connection lifetime in nanoseconds, or 0 for forever. */
    private final long maxLifetimeNanos;
    /** The pool's metrics tracker; a supplier, since it is created after this. */
    private final Supplier<MetricsTracker> tracker;

    SlotLifecycle(String pool, Connector<C> connector, Policy policy, Lending<C> lending, Listener<C> listener,
            ConnectorCalls calls, ConnectorCalls closes, ScheduledExecutorService scheduler, Clock clock,
            Supplier<RandomGenerator> random, Supplier<MetricsTracker> tracker) {
        this.tracker = tracker;
        this.pool = pool;
        this.connector = connector;
        this.hooks = ConnectorHooks.of(connector);
        this.lending = lending;
        this.listener = listener;
        this.calls = calls;
        this.closes = closes;
        this.scheduler = scheduler;
        this.clock = clock;
        this.random = random;
        this.backoff = new Backoff(policy.backend());
        this.connectTimeoutNanos = policy.backend().connectTimeout().toNanos();
        this.hookTimeoutNanos = policy.backend().healthCheckTimeout().toNanos();
        this.healthIntervalNanos = policy.backend().healthInterval().map(d -> d.toNanos()).orElse(0L);
        this.maxLifetimeNanos = policy.backend().maxLifetime().map(d -> d.toNanos()).orElse(0L);
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
        connectIfWaiting(slot);
    }

    /** Stops lending {@code slot}: terminated now if nobody owns it, else by its owner when it gives it up. */
    void retire(Slot<C> slot) {
        if (slot.retire()) {
            terminateIfUnowned(slot);
        }
    }

    /** Terminates a retired slot if it is idle or waiting; its owner terminates it otherwise. */
    void terminateIfUnowned(Slot<C> slot) {
        if (slot.idle2terminated() || slot.waiting2terminated() || slot.abandoned2terminated()) {
            terminate(slot);
        }
    }

    /** The owner lends a slot that came free (to a waiter, or idle), unless it must leave. */
    void lend(Slot<C> slot) {
        if (slot.retired() || slot.set.retireIfUnwanted(slot)) {
            terminate(slot);
            return;
        }
        if (slot.expired) {
            replace(slot);
            return;
        }
        lending.offer(slot);
        // Published as idle: a retirement that marked it meanwhile may have missed it.
        if (slot.retired() && slot.idle2terminated()) {
            terminate(slot);
        }
    }

    /**
     * A connection failed in use or in a check (its {@code onAcquire}, an invalidation, a failed
     * check): counts against the backend, for its stats and for outlier ejection.
     */
    void failedInUse(Slot<C> slot, Throwable error) {
        slot.set.recordFailure(clock.nanoTime(), error, false);
        tracker.get().checkFailed(slot.set.backend());
        listener.connectionFailed(slot.set, slot.set.connectionFailed());
    }

    /** The owner found the slot's connection broken: close it and connect anew. */
    void reconnect(Slot<C> slot) {
        reconnect(slot, false);
    }

    /**
     * The owner replaces a connection past its lifetime or invalidated by its claimer; the
     * backend stays online meanwhile, and goes offline only if the new connect fails.
     */
    void replace(Slot<C> slot) {
        reconnect(slot, true);
    }

    private void reconnect(Slot<C> slot, boolean holdOnline) {
        C connection = detach(slot, holdOnline);
        toWaiting(slot);
        if (connection == null) {
            connectIfWaiting(slot);
        } else {
            close(connection, () -> connectIfWaiting(slot));
        }
    }

    /**
     * The owner's hook ran past its bound in the owner's thread and the watchdog closed the
     * connection: forget it and connect anew.
     */
    void abandoned(Slot<C> slot) {
        detach(slot, false);
        toWaiting(slot);
        connectIfWaiting(slot);
    }

    /** The watchdog's part when a hook in a caller's thread is late: close the connection to unblock its I/O. */
    void closeUnderLateHook(Slot<C> slot) {
        close(slot.connection, () -> { });
    }

    private void connectIfWaiting(Slot<C> slot) {
        if (!slot.waiting2connecting()) {
            return; // retired and terminated meanwhile
        }
        if (slot.retired()) {
            terminate(slot);
            return;
        }
        ConnectEvent event = new ConnectEvent();
        event.begin();
        long started = clock.nanoTime();
        calls.submit("connect to " + slot.set, connectTimeoutNanos, unlessRetired(slot, () -> connector.connect(slot.set.backend())),
                new ConnectorCalls.Outcome<C>() {
                    @Override
                    public void completed(C connection, Throwable error) {
                        if (error == SlotRetired.INSTANCE) {
                            terminate(slot);
                            return;
                        }
                        if (error == null && connection == null) {
                            error = new IllegalStateException("Connector.connect returned null");
                        }
                        commit(event, slot, error);
                        if (error == null) {
                            tracker.get().connected(slot.set.backend(), clock.nanoTime() - started);
                            connected(slot, connection);
                        } else {
                            connectFailed(slot, error, clock.nanoTime() - started);
                            afterConnectFailure(slot);
                        }
                    }

                    @Override
                    public void timedOut(TimeoutException timeout, boolean stillRunning) {
                        commit(event, slot, timeout);
                        connectFailed(slot, timeout, clock.nanoTime() - started);
                        if (stillRunning) {
                            abandon(slot);
                        } else {
                            afterConnectFailure(slot);
                        }
                    }

                    @Override
                    public void returnedLate(C connection, Throwable error) {
                        if (connection != null) {
                            listener.connectionOpened();
                            close(connection, () -> { });
                        }
                        if (slot.abandoned2owned()) {
                            afterConnectFailure(slot);
                        }
                    }
                });
    }

    private void connected(Slot<C> slot, C connection) {
        listener.connectionOpened();
        slot.connection = connection;
        slot.generation++;
        slot.failuresInARow = 0;
        slot.expired = false;
        slot.validatedAtNanos = clock.nanoTime();
        if (slot.heldOnline) {
            slot.heldOnline = false;
        } else if (slot.set.connectionOpened()) {
            backendEvent(slot.set, true);
            listener.backendOnline(slot.set);
        }
        stateEvent(slot, SlotState.CONNECTING, SlotState.IDLE);
        armHealthCheck(slot);
        armLifetime(slot);
        lend(slot);
    }

    /** Each connection ends between 97.5 % and 100 % of the lifetime, so that they do not all end together. */
    private void armLifetime(Slot<C> slot) {
        if (maxLifetimeNanos > 0) {
            int generation = slot.generation;
            long lifetime = maxLifetimeNanos - (long) (random.get().nextDouble() * maxLifetimeNanos * 0.025);
            slot.lifetimeTimer = scheduler.schedule(() -> lifetimeOver(slot, generation), lifetime,
                    TimeUnit.NANOSECONDS);
        }
    }

    /** On the scheduler: replace the connection now if idle, else when its owner lets it go. */
    private void lifetimeOver(Slot<C> slot, int generation) {
        if (slot.generation != generation) {
            return;
        }
        slot.expired = true;
        if (slot.idle2checking()) {
            if (slot.retired()) {
                terminate(slot);
            } else {
                replace(slot);
            }
        }
    }

    private void connectFailed(Slot<C> slot, Throwable error, long nanos) {
        int inARow = slot.set.recordFailure(clock.nanoTime(), error, true);
        tracker.get().connectFailed(slot.set.backend(), nanos);
        log.debug("pool '{}': connect to {} failed ({} in a row): {}", pool, slot.set, slot.failuresInARow + 1,
                SlotSet.describe(error));
        listener.connectFailed(slot.set, inARow);
    }

    /** The call owning the slot is past its bound: a retirement may now end the slot without it. */
    private void abandon(Slot<C> slot) {
        slot.abandon();
        if (slot.retired() && slot.abandoned2terminated()) {
            terminate(slot);
        }
    }

    /** The owner of a connect that failed: wait out the backoff, then connect again. */
    private void afterConnectFailure(Slot<C> slot) {
        detach(slot, false); // a replacement that failed no longer holds its backend online
        slot.failuresInARow++;
        long delay = backoff.delayNanos(slot.failuresInARow, random.get());
        if (toWaiting(slot)) {
            scheduler.schedule(() -> connectIfWaiting(slot), delay, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The owner gives the slot up to wait for its next connect.
     *
     * @return false when the slot was retired and this call terminated it
     */
    private boolean toWaiting(Slot<C> slot) {
        SlotState from = slot.state();
        slot.owner2waiting();
        stateEvent(slot, from, SlotState.WAITING);
        // Published as waiting: a retirement that marked it meanwhile may have missed it.
        if (slot.retired() && slot.waiting2terminated()) {
            terminate(slot);
            return false;
        }
        return true;
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
        } else if (slot.idle2checking()) {
            if (slot.retired()) {
                terminate(slot);
                return;
            }
            stateEvent(slot, SlotState.IDLE, SlotState.CHECKING);
            check(slot, "isValid", new HealthCheckEvent(), () -> connector.isValid(slot.connection));
        } else {
            // Claimed or being recycled: onRecycle validates it on return.
            armHealthCheck(slot, generation, healthIntervalNanos);
        }
    }

    /** Runs isValid or onRecycle on a slot the caller owns (CHECKING or RECYCLING). */
    private void check(Slot<C> slot, String hook, AttemptEvent event, Callable<Boolean> body) {
        event.begin();
        calls.submit(hook + " on " + slot, hookTimeoutNanos, unlessRetired(slot, body), new ConnectorCalls.Outcome<Boolean>() {
            @Override
            public void completed(Boolean valid, Throwable error) {
                if (error == SlotRetired.INSTANCE) {
                    terminate(slot);
                    return;
                }
                if (error == null && !Boolean.TRUE.equals(valid)) {
                    error = new IllegalStateException("the connector found the connection invalid");
                }
                commit(event, slot, error);
                checked(slot, error);
            }

            @Override
            public void timedOut(TimeoutException timeout, boolean stillRunning) {
                commit(event, slot, timeout);
                failedInUse(slot, timeout);
                if (stillRunning) {
                    // Closing the connection unblocks a hook stuck in its I/O; the slot moves on when it returns.
                    close(detach(slot, false), () -> { });
                    abandon(slot);
                } else {
                    reconnect(slot);
                }
            }

            @Override
            public void returnedLate(Boolean valid, Throwable error) {
                if (slot.abandoned2owned()) {
                    reconnect(slot);
                }
            }
        });
    }

    private void checked(Slot<C> slot, Throwable error) {
        if (error == null) {
            slot.validatedAtNanos = clock.nanoTime();
            if (slot.state() == SlotState.CHECKING) {
                armHealthCheck(slot);
            }
            lend(slot);
            return;
        }
        log.debug("pool '{}': {} failed its check: {}", pool, slot, SlotSet.describe(error));
        failedInUse(slot, error);
        reconnect(slot);
    }

    /**
     * A call that was queued may start after its slot was retired (the pool closed, say): it
     * then calls nothing and ends with {@link SlotRetired}, so the connector sees no hook but
     * {@code close} after close.
     */
    private static <T> Callable<T> unlessRetired(Slot<?> slot, Callable<T> hook) {
        return () -> {
            if (slot.retired()) {
                throw SlotRetired.INSTANCE;
            }
            return hook.call();
        };
    }

    /** The end of a call that did not start because its slot was retired. */
    private static final class SlotRetired extends Exception {
        private static final long serialVersionUID = 1L;
        static final SlotRetired INSTANCE = new SlotRetired();

        private SlotRetired() {
            super("the slot was retired before the call started", null, false, false);
        }
    }

    /** Ends a slot the caller owns; the bookkeeping runs whatever fails on the way. */
    void terminate(Slot<C> slot) {
        SlotState from = slot.state();
        C connection = null;
        try {
            connection = detach(slot, false);
            slot.owner2terminated();
            stateEvent(slot, from, SlotState.TERMINATED);
        } finally {
            try {
                slot.set.removeSlot(slot);
                if (connection != null) {
                    close(connection, () -> { });
                }
            } finally {
                listener.slotTerminated(slot);
            }
        }
    }

    /**
     * Takes the connection out of an owned slot, with the online accounting; null if it has
     * none. With {@code holdOnline} the backend's online count keeps the slot until its next
     * connect succeeds or fails.
     */
    private C detach(Slot<C> slot, boolean holdOnline) {
        if (slot.healthTimer != null) {
            slot.healthTimer.cancel(false);
            slot.healthTimer = null;
        }
        if (slot.lifetimeTimer != null) {
            slot.lifetimeTimer.cancel(false);
            slot.lifetimeTimer = null;
        }
        C connection = slot.connection;
        slot.connection = null;
        if (connection != null && holdOnline) {
            slot.heldOnline = true;
        } else if (connection != null || slot.heldOnline) {
            slot.heldOnline = false;
            connectionLost(slot.set);
        }
        return connection;
    }

    private void connectionLost(SlotSet<C> set) {
        if (set.connectionClosed(clock.nanoTime())) {
            backendEvent(set, false);
            listener.backendOffline(set);
        }
    }

    /** Closes {@code connection} on the close lane, then runs {@code then} (on a background thread). */
    private void close(C connection, Runnable then) {
        if (connection == null) {
            then.run();
            return;
        }
        closes.submit("close", hookTimeoutNanos, () -> {
            connector.close(connection);
            return null;
        }, new ConnectorCalls.Outcome<Object>() {
            @Override
            public void completed(Object ignored, Throwable error) {
                if (error != null) {
                    log.warn("pool '{}': closing a connection failed: {}", pool, SlotSet.describe(error));
                }
                closed(then);
            }

            @Override
            public void timedOut(TimeoutException timeout, boolean stillRunning) {
                log.warn("pool '{}': closing a connection: {}; it is given up", pool, timeout.getMessage());
                closed(then);
            }

            @Override
            public void returnedLate(Object ignored, Throwable error) {
            }
        });
    }

    private void closed(Runnable then) {
        try {
            then.run();
        } finally {
            listener.connectionClosed();
        }
    }

    void stateEvent(Slot<C> slot, SlotState from, SlotState to) {
        SlotStateChangeEvent event = new SlotStateChangeEvent();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.backend = slot.set.toString();
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
            event.backend = set.toString();
            event.online = online;
            event.commit();
        }
    }

    void commit(AttemptEvent event, Slot<C> slot, Throwable error) {
        event.end();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.backend = slot.set.toString();
            event.success = error == null;
            event.error = error == null ? null : SlotSet.describe(error);
            event.commit();
        }
    }
}
