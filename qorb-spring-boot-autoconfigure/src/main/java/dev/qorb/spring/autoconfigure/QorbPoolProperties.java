package dev.qorb.spring.autoconfigure;

import dev.qorb.dns.AddressFamily;
import dev.qorb.spring.autoconfigure.jdbc.QorbJdbcProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/** One pool under {@code qorb.pools.<name>}, and {@code qorb.defaults}. */
public class QorbPoolProperties {

    /** Bean name of the Connector; optional when exactly one Connector bean exists. */
    private String connector;

    /** Where the pool's backends come from: exactly one of fixed, dns or bean. */
    private final Resolver resolver = new Resolver();

    /** Idle connections to keep ready across all backends. */
    private int sparesWanted = 8;

    /** Hard cap on slots across all backends, probes of offline backends included. */
    private int maxSlots = 16;

    /** Period of the rebalance that also runs on every backend change. */
    private Duration rebalanceInterval = Duration.ofSeconds(60);

    /** How long a claim waits for a connection. */
    private Duration claimTimeout = Duration.ofSeconds(30);

    /** A handle held longer than this is logged with the stack trace of its claim; unset or 0 for off. */
    private Duration leakDetectionThreshold;

    /** Bound on the pool's connector calls in flight at once (connect, isValid, onRecycle, onAcquire); a hook that hangs holds at most this many threads. */
    private int maxConnectorCalls = 4;

    /** How often the pool reshuffles which backends it prefers, so that clients do not stay piled on the same backends after a rolling restart; unset or 0 for never. */
    private Duration decoherenceInterval;

    /** Bound on claims waiting at once; a claim beyond it fails at once (TOO_MANY_WAITERS). Unset for unbounded, 0 for claims that never wait. */
    private Integer maxWaiters;

    /** CoDel's target for the time claims wait in the queue: under overload, stale waiters are shed early. Unset or 0 for off. */
    private Duration targetClaimDelay;

    /** Fail claims at once (NO_BACKENDS) while the resolver reports no backend at all, instead of waiting. */
    private boolean failOnNoBackends;

    /** Per-backend settings. */
    private final Backend backend = new Backend();

    /** A pool of JDBC connections, opened by qorb, with a DataSource bean: set url-template. */
    @NestedConfigurationProperty
    private final QorbJdbcProperties jdbc = new QorbJdbcProperties();

    public String getConnector() {
        return connector;
    }

    public void setConnector(String connector) {
        this.connector = connector;
    }

    public Resolver getResolver() {
        return resolver;
    }

    public int getSparesWanted() {
        return sparesWanted;
    }

    public void setSparesWanted(int sparesWanted) {
        this.sparesWanted = sparesWanted;
    }

    public int getMaxSlots() {
        return maxSlots;
    }

    public void setMaxSlots(int maxSlots) {
        this.maxSlots = maxSlots;
    }

    public Duration getRebalanceInterval() {
        return rebalanceInterval;
    }

    public void setRebalanceInterval(Duration rebalanceInterval) {
        this.rebalanceInterval = rebalanceInterval;
    }

    public Duration getClaimTimeout() {
        return claimTimeout;
    }

    public void setClaimTimeout(Duration claimTimeout) {
        this.claimTimeout = claimTimeout;
    }

    public Duration getLeakDetectionThreshold() {
        return leakDetectionThreshold;
    }

    public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
        this.leakDetectionThreshold = leakDetectionThreshold;
    }

    public int getMaxConnectorCalls() {
        return maxConnectorCalls;
    }

    public void setMaxConnectorCalls(int maxConnectorCalls) {
        this.maxConnectorCalls = maxConnectorCalls;
    }

    public Duration getDecoherenceInterval() {
        return decoherenceInterval;
    }

    public void setDecoherenceInterval(Duration decoherenceInterval) {
        this.decoherenceInterval = decoherenceInterval;
    }

    public Integer getMaxWaiters() {
        return maxWaiters;
    }

    public void setMaxWaiters(Integer maxWaiters) {
        this.maxWaiters = maxWaiters;
    }

    public Duration getTargetClaimDelay() {
        return targetClaimDelay;
    }

    public void setTargetClaimDelay(Duration targetClaimDelay) {
        this.targetClaimDelay = targetClaimDelay;
    }

    public boolean isFailOnNoBackends() {
        return failOnNoBackends;
    }

    public void setFailOnNoBackends(boolean failOnNoBackends) {
        this.failOnNoBackends = failOnNoBackends;
    }

    public Backend getBackend() {
        return backend;
    }

    public QorbJdbcProperties getJdbc() {
        return jdbc;
    }

    /** Settings of each backend of a pool. */
    public static class Backend {

        /** Cap on the slots of one backend. */
        private int maxSlots = 16;

        /** Delay before the first reconnect after a failure; it doubles with each failure in a row. */
        private Duration minBackoff = Duration.ofMillis(20);

        /** The longest reconnect delay. */
        private Duration maxBackoff = Duration.ofSeconds(30);

        /** Random extra delay added to reconnects and health checks. */
        private Duration spread = Duration.ofMillis(20);

        /** How often idle connections are checked; 0 for never. */
        private Duration healthInterval = Duration.ofSeconds(30);

        /** Bound on each isValid, onAcquire and onRecycle call. */
        private Duration healthCheckTimeout = Duration.ofSeconds(3);

        /** Bound on each connect call. */
        private Duration connectTimeout = Duration.ofSeconds(10);

        /** How long a connection may live: each is retired between 97.5% and 100% of it and replaced, a claimed one when it returns; 0 for forever. */
        private Duration maxLifetime = Duration.ofMinutes(30);

        /** How long a connection beyond the ones the pool wants (claimed plus spares-wanted) may stay idle before it is closed. */
        private Duration idleTimeout = Duration.ofMinutes(10);

        /** Failures in a row (checks, recycles, onAcquire, invalidations) after which an online backend is ejected: it lends nothing for 1s, doubling up to max-backoff; 0 for never. */
        private int ejectAfterFailures = 5;

        /** A connection not validated for longer than this is checked with isValid before it is lent; 0 for never. */
        private Duration aliveBypassWindow = Duration.ofMillis(500);

        public int getMaxSlots() {
            return maxSlots;
        }

        public void setMaxSlots(int maxSlots) {
            this.maxSlots = maxSlots;
        }

        public Duration getMinBackoff() {
            return minBackoff;
        }

        public void setMinBackoff(Duration minBackoff) {
            this.minBackoff = minBackoff;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public Duration getSpread() {
            return spread;
        }

        public void setSpread(Duration spread) {
            this.spread = spread;
        }

        public Duration getHealthInterval() {
            return healthInterval;
        }

        public void setHealthInterval(Duration healthInterval) {
            this.healthInterval = healthInterval;
        }

        public Duration getHealthCheckTimeout() {
            return healthCheckTimeout;
        }

        public void setHealthCheckTimeout(Duration healthCheckTimeout) {
            this.healthCheckTimeout = healthCheckTimeout;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getMaxLifetime() {
            return maxLifetime;
        }

        public void setMaxLifetime(Duration maxLifetime) {
            this.maxLifetime = maxLifetime;
        }

        public Duration getIdleTimeout() {
            return idleTimeout;
        }

        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        public int getEjectAfterFailures() {
            return ejectAfterFailures;
        }

        public void setEjectAfterFailures(int ejectAfterFailures) {
            this.ejectAfterFailures = ejectAfterFailures;
        }

        public Duration getAliveBypassWindow() {
            return aliveBypassWindow;
        }

        public void setAliveBypassWindow(Duration aliveBypassWindow) {
            this.aliveBypassWindow = aliveBypassWindow;
        }
    }

    /** Where a pool's backends come from: exactly one of {@code fixed}, {@code dns} or {@code bean}. */
    public static class Resolver {

        /** A fixed list of backends. */
        private final Fixed fixed = new Fixed();

        /** Backends found in DNS. */
        private final Dns dns = new Dns();

        /** Bean name of a Resolver to use. */
        private String bean;

        public Fixed getFixed() {
            return fixed;
        }

        public Dns getDns() {
            return dns;
        }

        public String getBean() {
            return bean;
        }

        public void setBean(String bean) {
            this.bean = bean;
        }
    }

    /** A fixed list of backends. */
    public static class Fixed {

        /** Backend addresses as ip:port or host:port, e.g. 127.0.0.1:7001 or [::1]:7001. */
        private List<String> addresses = new ArrayList<>();

        public List<String> getAddresses() {
            return addresses;
        }

        public void setAddresses(List<String> addresses) {
            this.addresses = addresses;
        }
    }

    /** Backends found in DNS: SRV records of {@code service}, or A/AAAA records of {@code host} on {@code port}. */
    public static class Dns {

        /** SRV name, e.g. _grpc._tcp.orders.shop.svc.cluster.local. */
        private String service;

        /** Host name whose A/AAAA records are the backends (with port). */
        private String host;

        /** Port of every backend in host mode. */
        private Integer port;

        /** DNS servers as ip:port; empty for the system's resolvers. */
        private List<String> servers = new ArrayList<>();

        /** SRV name whose targets are more DNS servers, looked up before each backend lookup. */
        private String serverDiscovery;

        /** Which address records to look up. */
        private AddressFamily family = AddressFamily.BOTH;

        /** Lookup period when backends were found. */
        private Duration queryInterval = Duration.ofSeconds(60);

        /** Lookup period when nothing was found or every server failed. */
        private Duration retryInterval = Duration.ofSeconds(10);

        /** How long to wait for one server's answer to one query. */
        private Duration queryTimeout = Duration.ofSeconds(10);

        /** When set, used instead of every record's own TTL. */
        private Duration hardTtl;

        /** How many servers are asked at once. */
        private int maxConcurrency = 5;

        public String getService() {
            return service;
        }

        public void setService(String service) {
            this.service = service;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public Integer getPort() {
            return port;
        }

        public void setPort(Integer port) {
            this.port = port;
        }

        public List<String> getServers() {
            return servers;
        }

        public void setServers(List<String> servers) {
            this.servers = servers;
        }

        public String getServerDiscovery() {
            return serverDiscovery;
        }

        public void setServerDiscovery(String serverDiscovery) {
            this.serverDiscovery = serverDiscovery;
        }

        public AddressFamily getFamily() {
            return family;
        }

        public void setFamily(AddressFamily family) {
            this.family = family;
        }

        public Duration getQueryInterval() {
            return queryInterval;
        }

        public void setQueryInterval(Duration queryInterval) {
            this.queryInterval = queryInterval;
        }

        public Duration getRetryInterval() {
            return retryInterval;
        }

        public void setRetryInterval(Duration retryInterval) {
            this.retryInterval = retryInterval;
        }

        public Duration getQueryTimeout() {
            return queryTimeout;
        }

        public void setQueryTimeout(Duration queryTimeout) {
            this.queryTimeout = queryTimeout;
        }

        public Duration getHardTtl() {
            return hardTtl;
        }

        public void setHardTtl(Duration hardTtl) {
            this.hardTtl = hardTtl;
        }

        public int getMaxConcurrency() {
            return maxConcurrency;
        }

        public void setMaxConcurrency(int maxConcurrency) {
            this.maxConcurrency = maxConcurrency;
        }
    }
}
