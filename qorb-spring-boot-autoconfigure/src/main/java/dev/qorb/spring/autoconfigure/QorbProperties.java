package dev.qorb.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Configuration of qorb pools: {@code qorb.pools.<name>.*}, with {@code qorb.defaults.*}
 * applied to every pool before its own values. A pool's name is lowercase kebab-case
 * ({@code orders}, {@code read-replicas}); every key under {@code qorb} must be one of these,
 * or startup fails naming it.
 */
@ConfigurationProperties("qorb")
public class QorbProperties {

    /** Whether pools are created from these properties at all. */
    private boolean enabled = true;

    /** How long shutdown waits for claimed connections to come back before closing them. */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /**
     * Settings every pool starts from; each pool's own values override them. Anything but a
     * pool's backends (resolver.fixed, resolver.dns.service, host and port, resolver.bean).
     */
    @NestedConfigurationProperty
    private QorbPoolProperties defaults = new QorbPoolProperties();

    /** The pools, by lowercase kebab-case name; each becomes a Pool bean named qorbPool.<name>. */
    private Map<String, QorbPoolProperties> pools = new LinkedHashMap<>();

    /** Micrometer metrics of the pools. */
    private final Metrics metrics = new Metrics();

    /** The qorb health contributor. */
    private final Health health = new Health();

    /** The qorb.claim Observation. */
    private final Observation observation = new Observation();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public QorbPoolProperties getDefaults() {
        return defaults;
    }

    public void setDefaults(QorbPoolProperties defaults) {
        this.defaults = defaults;
    }

    public Map<String, QorbPoolProperties> getPools() {
        return pools;
    }

    public void setPools(Map<String, QorbPoolProperties> pools) {
        this.pools = pools;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Health getHealth() {
        return health;
    }

    public Observation getObservation() {
        return observation;
    }

    /** Micrometer metrics of the pools. */
    public static class Metrics {

        /**
         * Whether qorb.claims.wait is a timer with a percentile histogram, recorded on every
         * claim (more time series, and a clock read per claim), instead of a count and a total.
         */
        private boolean claimWaitHistogram;

        /**
         * Whether connect and failure meters carry a backend tag. Backends come and go without
         * bound under DNS discovery, so at most max-tagged-backends values are used per pool.
         */
        private boolean backendTags;

        /** With backend tags, how many backends of one pool get their own tag value; later ones share "other". */
        private int maxTaggedBackends = 20;

        public boolean isClaimWaitHistogram() {
            return claimWaitHistogram;
        }

        public void setClaimWaitHistogram(boolean claimWaitHistogram) {
            this.claimWaitHistogram = claimWaitHistogram;
        }

        public boolean isBackendTags() {
            return backendTags;
        }

        public void setBackendTags(boolean backendTags) {
            this.backendTags = backendTags;
        }

        public int getMaxTaggedBackends() {
            return maxTaggedBackends;
        }

        public void setMaxTaggedBackends(int maxTaggedBackends) {
            this.maxTaggedBackends = maxTaggedBackends;
        }
    }

    /** The qorb health contributor. */
    public static class Health {

        /**
         * How long after startup a pool that cannot serve yet (no backend found or online) is
         * OUT_OF_SERVICE rather than DOWN.
         */
        private Duration startupGrace = Duration.ofSeconds(30);

        public Duration getStartupGrace() {
            return startupGrace;
        }

        public void setStartupGrace(Duration startupGrace) {
            this.startupGrace = startupGrace;
        }
    }

    /** The qorb.claim Observation. */
    public static class Observation {

        /**
         * Whether each claim is wrapped in a qorb.claim Observation (tracing, and the qorb.claim
         * timers of Micrometer's observation handler); it costs far more than a claim.
         */
        private boolean enabled;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
