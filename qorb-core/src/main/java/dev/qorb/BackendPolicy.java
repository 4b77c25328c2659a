package dev.qorb;

import static dev.qorb.PolicyChecks.atLeast;
import static dev.qorb.PolicyChecks.notNegative;
import static dev.qorb.PolicyChecks.positive;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of a {@link Policy} that applies to each backend's slots. Every value is checked
 * when built; an {@link IllegalArgumentException} names the field.
 *
 * @param maxSlots cap on the slots of one backend (default 16)
 * @param minBackoff delay before the first reconnect after a failure (default 20 ms); it doubles on each further failure
 * @param maxBackoff the longest reconnect delay (default 30 s); twice this is the window in which a backend's recent failures are counted (they are forgotten when the backend comes online again)
 * @param spread random extra delay in {@code [0, spread)} added to each reconnect and health-check delay so that slots do not move in lockstep (default 20 ms)
 * @param healthInterval how often an idle connection is checked with the connector's {@code isValid}; empty for never (default 30 s)
 * @param healthCheckTimeout bound on each {@code isValid}, {@code onAcquire} and {@code onRecycle} call (default 3 s)
 * @param connectTimeout bound on each {@code connect} call (default 10 s); qorb has none, a JVM pool must not let one hung connect hold a slot forever
 * @param maxLifetime how long a connection may live: each is retired between 97.5 % and 100 % of it (random, so that they do not all reconnect at once) and replaced; a claimed connection is never closed for age, it is retired when it returns (HikariCP's semantics; default 30 min; empty for forever)
 * @param idleTimeout how long a connection beyond the ones the pool wants ({@code claimed + sparesWanted}) may stay idle before it is closed, so that claims that rise and fall do not make the pool reconnect (default 10 min)
 * @param ejectAfterFailures a backend whose connections fail this many times in a row while it is online (failed checks, recycles, {@code onAcquire} calls, invalidations) is ejected: it lends nothing for 1 s, doubling with each ejection up to {@link #maxBackoff()}, and must connect anew before it lends again; never more than half of the online backends at once (outlier ejection; default 5; 0 for never)
 * @param aliveBypassWindow a connection not validated for longer than this is checked with the connector's {@code isValid}, in the claimer's thread, before it is lent (HikariCP's alive-bypass window; default 500 ms; empty for never). Connectors without {@code isValid} are never checked this way
 */
public record BackendPolicy(
        int maxSlots,
        Duration minBackoff,
        Duration maxBackoff,
        Duration spread,
        Optional<Duration> healthInterval,
        Duration healthCheckTimeout,
        Duration connectTimeout,
        Optional<Duration> maxLifetime,
        Duration idleTimeout,
        int ejectAfterFailures,
        Optional<Duration> aliveBypassWindow) {

    private static final BackendPolicy DEFAULTS = builder().build();

    public BackendPolicy {
        atLeast("backend.maxSlots", 1, maxSlots);
        positive("backend.minBackoff", minBackoff);
        positive("backend.maxBackoff", maxBackoff);
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("backend.maxBackoff (" + maxBackoff
                    + ") must not be less than backend.minBackoff (" + minBackoff + ")");
        }
        notNegative("backend.spread", spread);
        Objects.requireNonNull(healthInterval, "backend.healthInterval must not be null (use Optional.empty() for never)");
        healthInterval.ifPresent(d -> positive("backend.healthInterval", d));
        positive("backend.healthCheckTimeout", healthCheckTimeout);
        positive("backend.connectTimeout", connectTimeout);
        Objects.requireNonNull(maxLifetime, "backend.maxLifetime must not be null (use Optional.empty() for forever)");
        maxLifetime.ifPresent(d -> positive("backend.maxLifetime", d));
        positive("backend.idleTimeout", idleTimeout);
        atLeast("backend.ejectAfterFailures", 0, ejectAfterFailures);
        Objects.requireNonNull(aliveBypassWindow, "backend.aliveBypassWindow must not be null (use Optional.empty() for never)");
        aliveBypassWindow.ifPresent(d -> notNegative("backend.aliveBypassWindow", d));
    }

    /** qorb's defaults. */
    public static BackendPolicy defaults() {
        return DEFAULTS;
    }

    /** A builder starting from qorb's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxSlots = maxSlots;
        b.minBackoff = minBackoff;
        b.maxBackoff = maxBackoff;
        b.spread = spread;
        b.healthInterval = healthInterval;
        b.healthCheckTimeout = healthCheckTimeout;
        b.connectTimeout = connectTimeout;
        b.maxLifetime = maxLifetime;
        b.idleTimeout = idleTimeout;
        b.ejectAfterFailures = ejectAfterFailures;
        b.aliveBypassWindow = aliveBypassWindow;
        return b;
    }

    /**
     * The window in which a backend's recent failures are counted: twice {@link #maxBackoff()}.
     * They are forgotten when the backend comes online again, so that a restarted backend gets
     * its share back at once.
     */
    public Duration failureWindow() {
        return maxBackoff.multipliedBy(2);
    }

    /** Builds a {@link BackendPolicy}; values are checked by {@link #build()}. */
    public static final class Builder {
        private int maxSlots = 16;
        private Duration minBackoff = Duration.ofMillis(20);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration spread = Duration.ofMillis(20);
        private Optional<Duration> healthInterval = Optional.of(Duration.ofSeconds(30));
        private Duration healthCheckTimeout = Duration.ofSeconds(3);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Optional<Duration> maxLifetime = Optional.of(Duration.ofMinutes(30));
        private Duration idleTimeout = Duration.ofMinutes(10);
        private int ejectAfterFailures = 5;
        private Optional<Duration> aliveBypassWindow = Optional.of(Duration.ofMillis(500));

        private Builder() {
        }

        /** @see BackendPolicy#maxSlots() */
        public Builder maxSlots(int maxSlots) {
            this.maxSlots = maxSlots;
            return this;
        }

        /** @see BackendPolicy#minBackoff() */
        public Builder minBackoff(Duration minBackoff) {
            this.minBackoff = minBackoff;
            return this;
        }

        /** @see BackendPolicy#maxBackoff() */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        /** @see BackendPolicy#spread() */
        public Builder spread(Duration spread) {
            this.spread = spread;
            return this;
        }

        /** Checks idle connections this often. @see BackendPolicy#healthInterval() */
        public Builder healthInterval(Duration healthInterval) {
            this.healthInterval = Optional.of(positive("backend.healthInterval", healthInterval));
            return this;
        }

        /** Never checks idle connections; they are still checked on return by {@code onRecycle}. */
        public Builder noHealthChecks() {
            this.healthInterval = Optional.empty();
            return this;
        }

        /** @see BackendPolicy#healthCheckTimeout() */
        public Builder healthCheckTimeout(Duration healthCheckTimeout) {
            this.healthCheckTimeout = healthCheckTimeout;
            return this;
        }

        /** @see BackendPolicy#connectTimeout() */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** @see BackendPolicy#maxLifetime() */
        public Builder maxLifetime(Duration maxLifetime) {
            this.maxLifetime = Optional.of(positive("backend.maxLifetime", maxLifetime));
            return this;
        }

        /** Connections live until they fail, are shrunk away or their backend leaves. */
        public Builder noMaxLifetime() {
            this.maxLifetime = Optional.empty();
            return this;
        }

        /** @see BackendPolicy#idleTimeout() */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** @see BackendPolicy#ejectAfterFailures() */
        public Builder ejectAfterFailures(int failures) {
            this.ejectAfterFailures = failures;
            return this;
        }

        /** @see BackendPolicy#aliveBypassWindow() */
        public Builder aliveBypassWindow(Duration window) {
            this.aliveBypassWindow = Optional.of(notNegative("backend.aliveBypassWindow", window));
            return this;
        }

        /** Never checks a connection before lending it; it is still checked on return and by health checks. */
        public Builder noAliveCheck() {
            this.aliveBypassWindow = Optional.empty();
            return this;
        }

        /** @throws IllegalArgumentException naming the first field whose value is invalid */
        public BackendPolicy build() {
            return new BackendPolicy(maxSlots, minBackoff, maxBackoff, spread, healthInterval,
                    healthCheckTimeout, connectTimeout, maxLifetime, idleTimeout, ejectAfterFailures, aliveBypassWindow);
        }
    }
}
