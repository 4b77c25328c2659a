package dev.qorb;

import static dev.qorb.PolicyChecks.atLeast;
import static dev.qorb.PolicyChecks.notNegative;
import static dev.qorb.PolicyChecks.positive;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * How a pool sizes, spreads and waits. Defaults are qorb's; every value is checked when
 * built, and an {@link IllegalArgumentException} names the field.
 *
 * <pre>{@code
 * Policy policy = Policy.builder()
 *         .maxSlots(32)
 *         .claimTimeout(Duration.ofSeconds(5))
 *         .backend(b -> b.maxSlots(8).healthInterval(Duration.ofSeconds(10)))
 *         .build();
 * }</pre>
 *
 * @param sparesWanted idle connections to keep ready across all backends: the pool aims at {@code min(claimed + sparesWanted, maxSlots)} slots (default 8); more than {@code maxSlots} is valid and means "as many as maxSlots allows"
 * @param maxSlots hard cap on slots across all backends, probes of offline backends included (default 16)
 * @param rebalanceInterval period of the rebalance that also runs on every backend change (default 60 s)
 * @param claimTimeout how long {@link Pool#claim()} waits for a connection (default 30 s); zero fails at once when no connection is idle
 * @param leakDetectionThreshold a handle held longer than this is logged once, with the stack trace of its claim; empty for off (the default)
 * @param maxConnectorCalls bound on this pool's connector calls in flight at once ({@code connect}, {@code isValid}, {@code onRecycle}, {@code onAcquire} of async claims; closes have a lane of their own of the same size); a hook that hangs, even ignoring interrupts, holds at most this many threads, all of them this pool's (default 4)
 * @param decoherenceInterval how often the pool reshuffles which backends it prefers (cueball's decoherence), so that many clients do not stay piled on the same backends after a rolling restart; each reshuffle moves slots as their connections come free or idle out; empty for never (the default)
 * @param maxWaiters bound on claims waiting for a connection at once, blocking and async together; a claim that
 *     would wait beyond it fails at once with {@link ClaimException.Kind#TOO_MANY_WAITERS}, so that an overloaded
 *     pool sheds load instead of piling up callers ({@link Integer#MAX_VALUE}, the default, means unbounded; 0
 *     means a claim never waits). A claim retried after its connector's {@code onAcquire} rejected a connection
 *     keeps its place in the queue and is not counted against the bound again
 * @param targetClaimDelay CoDel's target for the time claims wait in the queue (cueball's
 *     {@code targetClaimDelay}); empty for off (the default). See {@link #targetClaimDelay()}
 * @param failOnNoBackends fail a claim at once with {@link ClaimException.Kind#NO_BACKENDS}, instead of waiting,
 *     when the resolver's last report listed no backend at all (cueball's {@code errorOnEmpty}); claims already
 *     waiting then fail too. Before the resolver's first report claims wait as usual (default false)
 * @param backend the per-backend part
 */
public record Policy(
        int sparesWanted,
        int maxSlots,
        Duration rebalanceInterval,
        Duration claimTimeout,
        Optional<Duration> leakDetectionThreshold,
        int maxConnectorCalls,
        Optional<Duration> decoherenceInterval,
        int maxWaiters,
        Optional<Duration> targetClaimDelay,
        boolean failOnNoBackends,
        BackendPolicy backend) {

    private static final Policy DEFAULTS = builder().build();

    public Policy {
        atLeast("sparesWanted", 0, sparesWanted);
        atLeast("maxSlots", 1, maxSlots);
        positive("rebalanceInterval", rebalanceInterval);
        notNegative("claimTimeout", claimTimeout);
        Objects.requireNonNull(leakDetectionThreshold, "leakDetectionThreshold must not be null (use Optional.empty() for off)");
        leakDetectionThreshold.ifPresent(d -> positive("leakDetectionThreshold", d));
        atLeast("maxConnectorCalls", 1, maxConnectorCalls);
        Objects.requireNonNull(decoherenceInterval, "decoherenceInterval must not be null (use Optional.empty() for never)");
        decoherenceInterval.ifPresent(d -> positive("decoherenceInterval", d));
        atLeast("maxWaiters", 0, maxWaiters);
        Objects.requireNonNull(targetClaimDelay, "targetClaimDelay must not be null (use Optional.empty() for off)");
        targetClaimDelay.ifPresent(d -> positive("targetClaimDelay", d));
        Objects.requireNonNull(backend, "backend must not be null");
    }

    /**
     * CoDel's target for the time claims wait in the queue, as cueball applies it to claims
     * ({@code targetClaimDelay}); empty when off (the default). Under overload a pool then fails some
     * waiting claims early, with {@link ClaimException.Kind#OVERLOADED}, instead of serving every claim
     * late: callers get a prompt answer they can act on (retry elsewhere, degrade) rather than a
     * connection after their own deadline has passed.
     *
     * <p>The rule is CoDel's reference pseudocode (Nichols and Jacobson, "Controlling Queue Delay",
     * ACM Queue 2012, which cueball follows), with claims as packets and CoDel's interval of 100 ms.
     * A claim's <em>sojourn</em> is how long it has waited in the queue. It is judged when the claim
     * leaves the queue: when a connection that came free is handed to it, or when it takes an idle
     * connection itself.
     * <ul>
     * <li>A sojourn below the target means the queue drains: the pool forgets when the delay went
     *     above it. So does a connection coming free while no claim waits.
     * <li>The first sojourn at or above the target notes "now + interval". A sojourn still at or above
     *     it after that time means the delay stayed above the target for a whole interval: a standing
     *     queue, not a burst.
     * <li>Then the pool starts <em>dropping</em>: it sheds that claim once the delay has stayed above
     *     the target for a second interval (or at once, if it stopped dropping less than an interval
     *     ago), serves the next, and sheds another {@code interval / sqrt(count)} after the last, so
     *     more and more often (count grows by one per claim shed; on re-entering soon after leaving,
     *     it restarts two below its last value). The first claim whose sojourn is below the target
     *     ends the dropping.
     * </ul>
     * A claim that is shed fails at once, and the connection goes to the next claim in line. Bursts
     * shorter than an interval are never shed.
     *
     * <p>As in cueball, a claim also waits at most ten times the target, or three times while the pool is
     * overloaded (no connection came free to an empty queue in the last ten times the target), or
     * {@link #claimTimeout()} if that is shorter; past that bound it fails with {@code OVERLOADED}
     * too. This keeps the delay bounded even when no connection comes free to judge claims by.
     */
    @Override
    public Optional<Duration> targetClaimDelay() {
        return targetClaimDelay;
    }

    /** qorb's defaults. */
    public static Policy defaults() {
        return DEFAULTS;
    }

    /** A builder starting from qorb's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.sparesWanted = sparesWanted;
        b.maxSlots = maxSlots;
        b.rebalanceInterval = rebalanceInterval;
        b.claimTimeout = claimTimeout;
        b.leakDetectionThreshold = leakDetectionThreshold;
        b.maxConnectorCalls = maxConnectorCalls;
        b.decoherenceInterval = decoherenceInterval;
        b.maxWaiters = maxWaiters;
        b.targetClaimDelay = targetClaimDelay;
        b.failOnNoBackends = failOnNoBackends;
        b.backend = backend;
        return b;
    }

    /** Builds a {@link Policy}; values are checked by {@link #build()}. */
    public static final class Builder {
        private int sparesWanted = 8;
        private int maxSlots = 16;
        private Duration rebalanceInterval = Duration.ofSeconds(60);
        private Duration claimTimeout = Duration.ofSeconds(30);
        private Optional<Duration> leakDetectionThreshold = Optional.empty();
        private int maxConnectorCalls = 4;
        private Optional<Duration> decoherenceInterval = Optional.empty();
        private int maxWaiters = Integer.MAX_VALUE;
        private Optional<Duration> targetClaimDelay = Optional.empty();
        private boolean failOnNoBackends;
        private BackendPolicy backend = BackendPolicy.defaults();

        private Builder() {
        }

        /** @see Policy#sparesWanted() */
        public Builder sparesWanted(int sparesWanted) {
            this.sparesWanted = sparesWanted;
            return this;
        }

        /** @see Policy#maxSlots() */
        public Builder maxSlots(int maxSlots) {
            this.maxSlots = maxSlots;
            return this;
        }

        /** @see Policy#rebalanceInterval() */
        public Builder rebalanceInterval(Duration rebalanceInterval) {
            this.rebalanceInterval = rebalanceInterval;
            return this;
        }

        /** @see Policy#claimTimeout() */
        public Builder claimTimeout(Duration claimTimeout) {
            this.claimTimeout = claimTimeout;
            return this;
        }

        /** Turns leak detection on. @see Policy#leakDetectionThreshold() */
        public Builder leakDetectionThreshold(Duration threshold) {
            this.leakDetectionThreshold = Optional.of(positive("leakDetectionThreshold", threshold));
            return this;
        }

        /** @see Policy#maxConnectorCalls() */
        public Builder maxConnectorCalls(int maxConnectorCalls) {
            this.maxConnectorCalls = maxConnectorCalls;
            return this;
        }

        /** Turns decoherence on. @see Policy#decoherenceInterval() */
        public Builder decoherenceInterval(Duration interval) {
            this.decoherenceInterval = Optional.of(positive("decoherenceInterval", interval));
            return this;
        }

        /** @see Policy#maxWaiters() */
        public Builder maxWaiters(int maxWaiters) {
            this.maxWaiters = maxWaiters;
            return this;
        }

        /** Turns CoDel's shedding of late claims on. @see Policy#targetClaimDelay() */
        public Builder targetClaimDelay(Duration target) {
            this.targetClaimDelay = Optional.of(positive("targetClaimDelay", target));
            return this;
        }

        /** @see Policy#failOnNoBackends() */
        public Builder failOnNoBackends(boolean failOnNoBackends) {
            this.failOnNoBackends = failOnNoBackends;
            return this;
        }

        /** @see Policy#backend() */
        public Builder backend(BackendPolicy backend) {
            this.backend = backend;
            return this;
        }

        /** Adjusts the per-backend part, starting from its current values. */
        public Builder backend(UnaryOperator<BackendPolicy.Builder> change) {
            this.backend = change.apply(backend.toBuilder()).build();
            return this;
        }

        /** @throws IllegalArgumentException naming the first field whose value is invalid */
        public Policy build() {
            return new Policy(sparesWanted, maxSlots, rebalanceInterval, claimTimeout,
                    leakDetectionThreshold, maxConnectorCalls, decoherenceInterval, maxWaiters, targetClaimDelay,
                    failOnNoBackends, backend);
        }
    }
}
