package dev.qorb.spring.autoconfigure;

import dev.qorb.Backend;
import dev.qorb.dns.DnsResolver;
import dev.qorb.dns.DnsResolverConfig;
import dev.qorb.resolver.FixedResolver;
import dev.qorb.resolver.HostPort;
import dev.qorb.resolver.Resolver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.util.ClassUtils;

/**
 * The resolver a pool's properties describe, exactly one of {@code resolver.fixed},
 * {@code resolver.dns} and {@code resolver.bean}: checked without building anything when the
 * pools are declared, built when a pool is created.
 */
final class ResolverSettings {

    /** RFC 2782: {@code _service._proto.name}. */
    private static final Pattern SRV_NAME = Pattern.compile("_[^._]+\\._[^._]+\\.[^.].*");
    private static final String ADDRESS_FORMAT = "Write each address as ip:port or host:port, e.g. 127.0.0.1:7001"
            + " or [::1]:7001.";

    private final PoolSettings pool;
    private final QorbPoolProperties.Resolver resolver;

    ResolverSettings(PoolSettings pool) {
        this.pool = pool;
        this.resolver = pool.properties().getResolver();
    }

    /**
     * @return the name of the Resolver bean to use, or {@code null} when one is built from properties
     * @throws QorbConfigurationException unless exactly one resolver is configured, validly
     */
    String check() {
        List<String> kinds = new ArrayList<>();
        if (!resolver.getFixed().getAddresses().isEmpty()) {
            kinds.add("resolver.fixed.addresses");
        }
        QorbPoolProperties.Dns dns = resolver.getDns();
        if (dns.getService() != null) {
            kinds.add("resolver.dns.service");
        }
        if (dns.getHost() != null) {
            kinds.add("resolver.dns.host");
        }
        if (resolver.getBean() != null && !resolver.getBean().isBlank()) {
            kinds.add("resolver.bean");
        }
        String choices = "Set exactly one of " + pool.prefix() + ".resolver.fixed.addresses (e.g. 127.0.0.1:7001), "
                + pool.prefix() + ".resolver.dns.service (an SRV name), " + pool.prefix()
                + ".resolver.dns.host with .port, or " + pool.prefix() + ".resolver.bean (a Resolver bean name).";
        if (kinds.isEmpty()) {
            List<WrittenKey> dnsKeys = pool.ownKeysUnder("resolver.dns");
            throw new QorbConfigurationException(pool.prefix() + ".resolver", null, "no resolver is configured"
                    + (dnsKeys.isEmpty() ? "" : " (" + dnsKeys.get(0).written()
                            + " is set, but DNS needs resolver.dns.service or resolver.dns.host)"), choices, null);
        }
        if (kinds.size() > 1) {
            throw pool.invalid(kinds.get(1), "more than one resolver is configured: " + String.join(" and ", kinds),
                    choices, null);
        }
        String kind = kinds.get(0);
        if (!kind.startsWith("resolver.dns")) {
            List<WrittenKey> dnsKeys = pool.ownKeysUnder("resolver.dns");
            if (!dnsKeys.isEmpty()) {
                WrittenKey key = dnsKeys.get(0);
                throw new QorbConfigurationException(key.written(), key.origin(), "the pool's resolver is " + kind
                        + ", so DNS settings do not apply to it", "Remove " + key.written() + ", or find the"
                        + " backends in DNS with resolver.dns.service or resolver.dns.host instead.", null);
            }
        }
        switch (kind) {
            case "resolver.fixed.addresses" -> fixed();
            case "resolver.bean" -> {
                return resolver.getBean();
            }
            default -> dnsConfig();
        }
        return null;
    }

    /** Builds the resolver from properties; {@link #check()} said there is one. */
    Resolver build() {
        if (!resolver.getFixed().getAddresses().isEmpty()) {
            return fixed();
        }
        DnsResolverConfig config = dnsConfig();
        try {
            return new DnsResolver(config);
        } catch (IllegalArgumentException e) {
            throw dnsProblem(e, "Set " + pool.prefix() + ".resolver.dns.servers to DNS servers as ip:port, e.g."
                    + " 10.0.0.53:53.");
        }
    }

    /** A DnsResolver message names the SRV or host name {@code dns.name}: name the key it came from. */
    private QorbConfigurationException dnsProblem(RuntimeException e, String action) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("dns.name")) {
            String name = resolver.getDns().getService() != null ? "resolver.dns.service" : "resolver.dns.host";
            return pool.invalid(name, message.replaceFirst("dns\\.name", name.substring("resolver.dns.".length())),
                    "Write a DNS name such as _pg._tcp.db.example or db.example.", e);
        }
        return pool.fromMessage("resolver", e, action);
    }

    private Resolver fixed() {
        List<String> addresses = resolver.getFixed().getAddresses();
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            String path = "resolver.fixed.addresses";
            String indexed = pool.key(path + "[" + i + "]") != null ? path + "[" + i + "]" : path;
            try {
                backends.add(HostPort.parse(addresses.get(i)).toBackend());
            } catch (IllegalArgumentException e) {
                throw pool.invalid(indexed, e.getMessage(), e.getMessage().contains("does not resolve")
                        ? "Check the host name. A fixed list resolves each name once, at startup: to follow a name"
                                + " whose addresses change, use resolver.dns.host with resolver.dns.port instead."
                        : ADDRESS_FORMAT, e);
            }
        }
        return new FixedResolver(backends);
    }

    /** The DNS resolver's settings, checked; the resolver must be DNS. */
    DnsResolverConfig dnsConfig() {
        if (!ClassUtils.isPresent("org.xbill.DNS.Name", ResolverSettings.class.getClassLoader())) {
            throw pool.invalid(resolver.getDns().getService() != null ? "resolver.dns.service" : "resolver.dns.host",
                    "DNS resolution needs dnsjava, which is not on the classpath",
                    "Add the dependency dnsjava:dnsjava (qorb-spring-boot-starter brings it).", null);
        }
        QorbPoolProperties.Dns dns = resolver.getDns();
        boolean srv = dns.getService() != null;
        String name = srv ? "resolver.dns.service" : "resolver.dns.host";
        String text = srv ? dns.getService() : dns.getHost();
        if (text.isBlank()) {
            throw pool.invalid(name, "must not be empty", srv ? "Write an SRV name such as _pg._tcp.db.example."
                    : "Write a host name such as db.example.", null);
        }
        if (srv && !SRV_NAME.matcher(text).matches()) {
            throw pool.invalid(name, "'" + text + "' is not an SRV name (_service._proto.domain)", "Write it as"
                    + " _<service>._<tcp or udp>.<domain>, e.g. _pg._tcp.db.example; for the A/AAAA records of a"
                    + " plain name use resolver.dns.host with resolver.dns.port instead.", null);
        }
        if (dns.getServerDiscovery() != null && !SRV_NAME.matcher(dns.getServerDiscovery()).matches()) {
            throw pool.invalid("resolver.dns.server-discovery", "'" + dns.getServerDiscovery() + "' is not an SRV"
                    + " name (_service._proto.domain)", "Write it as _<service>._<tcp or udp>.<domain>, e.g."
                    + " _dns._udp.example.", null);
        }
        if (!srv && dns.getPort() == null) {
            throw pool.invalid("resolver.dns.port", "host mode needs a port", "Set " + pool.prefix()
                    + ".resolver.dns.port to the port every backend listens on.", null);
        }
        if (srv && dns.getPort() != null) {
            throw pool.invalid("resolver.dns.port", "SRV mode takes ports from the SRV records", "Remove "
                    + pool.property("resolver.dns.port") + ", or use resolver.dns.host instead of .service.", null);
        }
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String server : dns.getServers()) {
            servers.add(server(server));
        }
        try {
            DnsResolverConfig.Builder config = srv ? DnsResolverConfig.srv(text)
                    : DnsResolverConfig.host(text, dns.getPort());
            config.servers(servers).family(dns.getFamily()).queryInterval(dns.getQueryInterval())
                    .retryInterval(dns.getRetryInterval()).queryTimeout(dns.getQueryTimeout())
                    .maxConcurrency(dns.getMaxConcurrency());
            if (dns.getServerDiscovery() != null) {
                config.serverDiscovery(dns.getServerDiscovery());
            }
            if (dns.getHardTtl() != null) {
                config.hardTtl(dns.getHardTtl());
            }
            return config.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw dnsProblem(e, "Fix it in your configuration (see the qorb property reference in the README).");
        }
    }

    private InetSocketAddress server(String address) {
        try {
            HostPort server = HostPort.parse(address);
            InetSocketAddress socket = new InetSocketAddress(server.host(), server.port());
            if (socket.isUnresolved()) {
                throw new IllegalArgumentException("DNS server '" + address + "': the host '" + server.host()
                        + "' does not resolve");
            }
            return socket;
        } catch (IllegalArgumentException e) {
            throw pool.invalid("resolver.dns.servers", e.getMessage(),
                    "Write each DNS server as ip:port, e.g. 10.0.0.53:53.", e);
        }
    }
}
