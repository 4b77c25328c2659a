package dev.qorb.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link DnsResolver} looks up and how often. Every value is checked when built; an
 * {@link IllegalArgumentException} names the field.
 *
 * <pre>{@code
 * DnsResolverConfig.srv("_pg._tcp.db.example")                 // SRV mode
 *         .servers(List.of(new InetSocketAddress("10.0.0.53", 53)))
 *         .build();
 * DnsResolverConfig.host("db.example", 5432).build();          // A/AAAA mode
 * }</pre>
 *
 * @param name the SRV name (SRV mode) or host name (host mode), absolute or not
 * @param port the port of every backend in host mode; 0 in SRV mode, where SRV records carry it
 * @param servers DNS servers to ask; empty for the system's resolvers
 * @param serverDiscovery an SRV name whose targets are more DNS servers, looked up before each backend lookup
 * @param family which address records to look up (default both)
 * @param queryInterval how often to look up when backends were found (default 60 s); TTLs do not make it sooner
 * @param retryInterval how soon to look up again when every server failed, or when nothing was found (default
 *     10 s; then the negative TTL instead when shorter, not under 1 s); also the least spacing of the lookups
 *     {@link DnsResolver#troubleSeen()} asks for
 * @param queryTimeout how long to wait for one server's answer to one query (default 10 s), to within a few ms
 * @param hardTtl when set, used instead of every record's own TTL
 * @param maxConcurrency how many servers are asked at once (default 5)
 */
public record DnsResolverConfig(
        String name,
        int port,
        List<InetSocketAddress> servers,
        Optional<String> serverDiscovery,
        AddressFamily family,
        Duration queryInterval,
        Duration retryInterval,
        Duration queryTimeout,
        Optional<Duration> hardTtl,
        int maxConcurrency) {

    public DnsResolverConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("dns.name must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("dns.port must be between 1 and 65535 but was " + port);
        }
        servers = List.copyOf(Objects.requireNonNull(servers, "dns.servers must not be null"));
        Objects.requireNonNull(serverDiscovery, "dns.serverDiscovery must not be null");
        Objects.requireNonNull(family, "dns.family must not be null");
        positive("dns.queryInterval", queryInterval);
        positive("dns.retryInterval", retryInterval);
        positive("dns.queryTimeout", queryTimeout);
        Objects.requireNonNull(hardTtl, "dns.hardTtl must not be null");
        hardTtl.ifPresent(ttl -> positive("dns.hardTtl", ttl));
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("dns.maxConcurrency must be at least 1 but was " + maxConcurrency);
        }
    }

    /** SRV mode: backends are the targets of the SRV records of {@code service}, with their ports. */
    public static Builder srv(String service) {
        return new Builder(service, 0);
    }

    /** Host mode: backends are the addresses of {@code host}, all on {@code port}. */
    public static Builder host(String host, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("dns.port must be between 1 and 65535 but was " + port);
        }
        return new Builder(host, port);
    }

    /** Whether this is SRV mode. */
    public boolean srvMode() {
        return port == 0;
    }

    private static void positive(String field, Duration value) {
        Objects.requireNonNull(value, () -> field + " must not be null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive but was " + value);
        }
    }

    /** Builds a {@link DnsResolverConfig}; values are checked by {@link #build()}. */
    public static final class Builder {
        private final String name;
        private final int port;
        private List<InetSocketAddress> servers = List.of();
        private Optional<String> serverDiscovery = Optional.empty();
        private AddressFamily family = AddressFamily.BOTH;
        private Duration queryInterval = Duration.ofSeconds(60);
        private Duration retryInterval = Duration.ofSeconds(10);
        private Duration queryTimeout = Duration.ofSeconds(10);
        private Optional<Duration> hardTtl = Optional.empty();
        private int maxConcurrency = 5;

        private Builder(String name, int port) {
            this.name = name;
            this.port = port;
        }

        /** @see DnsResolverConfig#servers() */
        public Builder servers(List<InetSocketAddress> servers) {
            this.servers = servers;
            return this;
        }

        /** @see DnsResolverConfig#serverDiscovery() */
        public Builder serverDiscovery(String srvName) {
            this.serverDiscovery = Optional.of(srvName);
            return this;
        }

        /** @see DnsResolverConfig#family() */
        public Builder family(AddressFamily family) {
            this.family = family;
            return this;
        }

        /** @see DnsResolverConfig#queryInterval() */
        public Builder queryInterval(Duration queryInterval) {
            this.queryInterval = queryInterval;
            return this;
        }

        /** @see DnsResolverConfig#retryInterval() */
        public Builder retryInterval(Duration retryInterval) {
            this.retryInterval = retryInterval;
            return this;
        }

        /** @see DnsResolverConfig#queryTimeout() */
        public Builder queryTimeout(Duration queryTimeout) {
            this.queryTimeout = queryTimeout;
            return this;
        }

        /** @see DnsResolverConfig#hardTtl() */
        public Builder hardTtl(Duration hardTtl) {
            this.hardTtl = Optional.of(hardTtl);
            return this;
        }

        /** @see DnsResolverConfig#maxConcurrency() */
        public Builder maxConcurrency(int maxConcurrency) {
            this.maxConcurrency = maxConcurrency;
            return this;
        }

        /** @throws IllegalArgumentException naming the first field whose value is invalid */
        public DnsResolverConfig build() {
            return new DnsResolverConfig(name, port, servers, serverDiscovery, family, queryInterval, retryInterval,
                    queryTimeout, hardTtl, maxConcurrency);
        }
    }
}
