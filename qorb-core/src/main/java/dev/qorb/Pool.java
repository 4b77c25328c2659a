package dev.qorb;

import dev.qorb.connector.Connector;
import dev.qorb.metrics.MetricsTracker;
import dev.qorb.metrics.MetricsTrackerFactory;
import dev.qorb.pool.QorbPool;
import dev.qorb.resolver.Resolver;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;

/**
 * A pool of connections to the backends a {@link Resolver} finds, opened and checked by a
 * {@link Connector}, sized and spread by a {@link Policy}.
 *
 * <pre>{@code
 * try (Pool<Socket> pool = Pool.builder("orders", new TcpConnector())
 *         .resolver(FixedResolver.parse(List.of("127.0.0.1:7001", "127.0.0.1:7002")))
 *         .build()) {
 *     try (Handle<Socket> h = pool.claim()) {
 *         h.get().getOutputStream().write(request);
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safety: every method may be called from any thread, concurrently.
 *
 * @param <C> the connection type
 */
public interface Pool<C> extends AutoCloseable {

    /** Starts building a pool named {@code name} whose connections {@code connector} opens. */
    static <C> Builder<C> builder(String name, Connector<C> connector) {
        return new Builder<>(name, connector);
    }

    /** The pool's name, as given to the builder; it appears in every error and metric. */
    String name();

    /** The policy the pool runs with. */
    Policy policy();

    /** Where the pool's backends come from (for its status; the pool owns and closes it). */
    Resolver resolver();

    /**
     * Claims a connection, waiting up to the policy's claim timeout.
     *
     * @throws ClaimException when no connection could be had in time; its kind says why
     */
    Handle<C> claim();

    /**
     * Claims a connection, waiting up to {@code timeout}.
     *
     * @throws ClaimException when no connection could be had in time; its kind says why
     */
    Handle<C> claim(Duration timeout);

    /**
     * Claims a connection without blocking the caller. The future completes with a handle,
     * or exceptionally with a {@link ClaimException} after the policy's claim timeout.
     * Cancelling the future withdraws the claim from the queue; a connection that was already
     * picked for it goes back to the pool.
     */
    CompletableFuture<Handle<C>> claimAsync();

    /** A snapshot of the pool's backends, slots and claims. */
    PoolStats stats();

    /** The pool's state now. */
    PoolState state();

    /**
     * Stops lending from {@code backendName}: no new claims go to it, its idle connections are
     * closed and claimed ones are closed as they return, until {@link #undrain}. An operator's
     * step before maintenance of one backend.
     *
     * @return whether the resolver currently reports a backend of that name
     */
    boolean drain(String backendName);

    /**
     * Lets a drained backend lend again; the pool reconnects it at once.
     *
     * @return whether the resolver currently reports a backend of that name
     */
    boolean undrain(String backendName);

    /**
     * Changes the pool's size while it runs, as HikariCP allows through its MXBean: the change
     * is applied to a builder holding the current policy, checked as any policy is, and
     * applied by a rebalance that starts now. Lowering {@code maxSlots} closes idle connections
     * above it at once and claimed ones as they return.
     *
     * <pre>{@code pool.resize(p -> p.maxSlots(32).sparesWanted(12));}</pre>
     *
     * @param change sets {@code sparesWanted}, {@code maxSlots} and/or {@code backend.maxSlots}
     * @throws IllegalArgumentException if a value is invalid or anything else was changed
     */
    void resize(UnaryOperator<Policy.Builder> change);

    /** Asks the resolver for a lookup now. */
    void resolveNow();

    /**
     * Starts closing: stops the resolver, fails waiting and later claims with
     * {@link ClaimException.Kind#POOL_CLOSED}, closes idle connections, and closes claimed
     * ones as their handles return. Returns without waiting for claimed connections or
     * for connect calls in progress; see {@link #awaitTermination(Duration)}.
     */
    @Override
    void close();

    /**
     * Waits until every connection the pool opened has been closed (state
     * {@link PoolState#STOPPED}), or the timeout passes.
     *
     * @return whether the pool is stopped
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitTermination(Duration timeout) throws InterruptedException;

    /**
     * Builds a {@link Pool}. A resolver is required; the policy defaults to qorb's; the
     * executors default to a small set shared by every pool in the JVM.
     *
     * @param <C> the connection type
     */
    final class Builder<C> {
        private final String name;
        private final Connector<C> connector;
        private Resolver resolver;
        private Policy policy = Policy.defaults();
        private ScheduledExecutorService scheduler;
        private Executor executor;
        private Executor callbackExecutor;
        private MetricsTrackerFactory metricsTracker = pool -> MetricsTracker.NONE;

        private Builder(String name, Connector<C> connector) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a pool's name must not be blank");
            }
            this.name = name;
            this.connector = Objects.requireNonNull(connector, "connector");
        }

        /** The pool's name. */
        public String name() {
            return name;
        }

        /** The policy set so far (qorb's defaults unless changed). */
        public Policy policy() {
            return policy;
        }

        /** Where the pool's backends come from. Required; the pool closes it on close. */
        public Builder<C> resolver(Resolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** How the pool sizes, spreads and waits. */
        public Builder<C> policy(Policy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Runs the pool's timers (backoff, health intervals, claim deadlines) on
         * {@code scheduler} instead of the shared one. Its tasks never block. The pool does
         * not shut it down.
         */
        public Builder<C> scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Runs connector calls and rebalancing on {@code executor} instead of the shared one.
         * The pool still bounds its calls in flight ({@link Policy#maxConnectorCalls()}); a
         * hook that hangs holds a thread of this executor until it returns, and the pool does
         * not grow this executor to make up for it as it does the shared one. The pool does
         * not shut it down.
         */
        public Builder<C> executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Runs connector calls on virtual threads, one per call (Java 21 and later): a hook
         * that blocks then holds no platform thread.
         *
         * @throws UnsupportedOperationException on Java before 21
         */
        public Builder<C> virtualThreads() {
            try {
                Method factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
                this.executor = (Executor) factory.invoke(null);
                return this;
            } catch (NoSuchMethodException e) {
                throw new UnsupportedOperationException("pool '" + name + "': virtual threads need Java 21 or later;"
                        + " this JVM is Java " + Runtime.version().feature() + ". Leave virtualThreads() out to use"
                        + " the shared platform threads", e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("pool '" + name + "': could not create a virtual-thread executor", e);
            }
        }

        /**
         * Completes the futures of {@link Pool#claimAsync()} on {@code executor}, where their
         * continuations then run (unless the claim was served before {@code claimAsync}
         * returned: then in the caller's thread). By default {@link CompletableFuture}'s own
         * default async executor; never the pool's threads.
         */
        public Builder<C> callbackExecutor(Executor executor) {
            this.callbackExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Reports the pool's claims, releases, connects and failures to the tracker
         * {@code factory} creates for it when the pool is built; by default nothing is reported.
         */
        public Builder<C> metricsTracker(MetricsTrackerFactory factory) {
            this.metricsTracker = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Builds the pool and starts it: the resolver is started and slots begin to connect.
         *
         * @throws IllegalStateException if no resolver was given
         */
        public Pool<C> build() {
            if (resolver == null) {
                throw new IllegalStateException("pool '" + name + "' needs a resolver: call resolver(...) before build()");
            }
            return QorbPool.start(name, connector, resolver, policy, scheduler, executor, callbackExecutor,
                    metricsTracker);
        }
    }
}
