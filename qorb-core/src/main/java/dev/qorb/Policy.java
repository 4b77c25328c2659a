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
        Objects.requireNonNull(backend, "backend must not be null");
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
                    leakDetectionThreshold, maxConnectorCalls, decoherenceInterval, backend);
        }
    }
}
