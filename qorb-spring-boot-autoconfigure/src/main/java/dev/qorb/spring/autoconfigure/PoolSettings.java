package dev.qorb.spring.autoconfigure;

import dev.qorb.BackendPolicy;
import dev.qorb.Policy;
import dev.qorb.dns.DnsResolver;
import dev.qorb.dns.DnsResolverConfig;
import dev.qorb.resolver.FixedResolver;
import dev.qorb.resolver.HostPort;
import dev.qorb.resolver.Resolver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.util.ClassUtils;

/**
 * One pool's properties turned into a {@link Policy} and a {@link Resolver}, in one place, with
 * every invalid value reported as the property that holds it.
 */
final class PoolSettings {

    /** The field name at the start of a Policy validation message: {@code backend.maxSlots must ...}. */
    private static final Pattern FIELD = Pattern.compile("^(?:dns\\.)?([a-zA-Z.]+)");

    private final String name;
    private final QorbProperties.Pool properties;

    PoolSettings(String name, QorbProperties.Pool properties) {
        this.name = name;
        this.properties = properties;
    }

    String prefix() {
        return "qorb.pools." + name;
    }

    /** @throws QorbConfigurationException naming the property whose value is invalid */
    Policy policy() {
        QorbProperties.Backend backend = properties.getBackend();
        try {
            BackendPolicy.Builder backendPolicy = BackendPolicy.builder()
                    .maxSlots(backend.getMaxSlots())
                    .minBackoff(backend.getMinBackoff())
                    .maxBackoff(backend.getMaxBackoff())
                    .spread(backend.getSpread())
                    .healthCheckTimeout(backend.getHealthCheckTimeout())
                    .connectTimeout(backend.getConnectTimeout());
            Duration healthInterval = backend.getHealthInterval();
            if (healthInterval == null || healthInterval.isZero()) {
                backendPolicy.noHealthChecks();
            } else {
                backendPolicy.healthInterval(healthInterval);
            }
            Policy.Builder policy = Policy.builder()
                    .sparesWanted(properties.getSparesWanted())
                    .maxSlots(properties.getMaxSlots())
                    .rebalanceInterval(properties.getRebalanceInterval())
                    .claimTimeout(properties.getClaimTimeout())
                    .backend(backendPolicy.build());
            if (properties.getLeakDetectionThreshold() != null) {
                policy.leakDetectionThreshold(properties.getLeakDetectionThreshold());
            }
            return policy.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid("", e);
        }
    }

    /**
     * Checks the resolver settings without building anything.
     *
     * @return the bean name of the Resolver to use, or {@code null} when built from properties
     * @throws QorbConfigurationException unless exactly one resolver kind is configured, validly
     */
    String checkResolver() {
        QorbProperties.Resolver resolver = properties.getResolver();
        boolean fixed = !resolver.getFixed().getAddresses().isEmpty();
        boolean dns = resolver.getDns().configured();
        boolean bean = resolver.getBean() != null && !resolver.getBean().isBlank();
        int kinds = (fixed ? 1 : 0) + (dns ? 1 : 0) + (bean ? 1 : 0);
        if (kinds != 1) {
            throw new QorbConfigurationException(prefix() + ".resolver",
                    kinds == 0 ? "no resolver is configured" : "more than one resolver is configured",
                    "Set exactly one of " + prefix() + ".resolver.fixed.addresses (e.g. 127.0.0.1:7001), "
                            + prefix() + ".resolver.dns.service (an SRV name), " + prefix()
                            + ".resolver.dns.host with .port, or " + prefix() + ".resolver.bean (a Resolver bean name).",
                    null);
        }
        if (fixed) {
            fixedResolver();
        } else if (dns) {
            dnsConfig();
        }
        return bean ? resolver.getBean() : null;
    }

    /** Builds the resolver from properties; {@link #checkResolver()} said there is one. */
    Resolver resolver() {
        if (!properties.getResolver().getFixed().getAddresses().isEmpty()) {
            return fixedResolver();
        }
        try {
            return new DnsResolver(dnsConfig());
        } catch (IllegalArgumentException e) {
            if (String.valueOf(e.getMessage()).startsWith("dns.name")) {
                String which = properties.getResolver().getDns().getService() != null ? "service" : "host";
                throw new QorbConfigurationException(prefix() + ".resolver.dns." + which, e.getMessage(),
                        "Write a DNS name such as _pg._tcp.db.example or db.example.", e);
            }
            throw invalid(".resolver.dns", e);
        }
    }

    private Resolver fixedResolver() {
        List<String> addresses = properties.getResolver().getFixed().getAddresses();
        try {
            return FixedResolver.parse(addresses);
        } catch (IllegalArgumentException e) {
            throw new QorbConfigurationException(prefix() + ".resolver.fixed.addresses", e.getMessage(),
                    "Write each address as ip:port or host:port, e.g. 127.0.0.1:7001 or [::1]:7001.", e);
        }
    }

    private DnsResolverConfig dnsConfig() {
        String dnsPrefix = prefix() + ".resolver.dns";
        if (!ClassUtils.isPresent("org.xbill.DNS.Name", PoolSettings.class.getClassLoader())) {
            throw new QorbConfigurationException(dnsPrefix, "DNS resolution needs dnsjava, which is not on the classpath",
                    "Add the dependency dnsjava:dnsjava (qorb-spring-boot-starter brings it).", null);
        }
        QorbProperties.Dns dns = properties.getResolver().getDns();
        if ((dns.getService() == null) == (dns.getHost() == null)) {
            throw new QorbConfigurationException(dnsPrefix, "set either service (SRV) or host (A/AAAA), not "
                    + (dns.getService() == null ? "neither" : "both"),
                    "Set " + dnsPrefix + ".service to an SRV name such as _pg._tcp.db.example, or " + dnsPrefix
                            + ".host and " + dnsPrefix + ".port.", null);
        }
        if (dns.getHost() != null && dns.getPort() == null) {
            throw new QorbConfigurationException(dnsPrefix + ".port", "host mode needs a port",
                    "Set " + dnsPrefix + ".port to the port every backend listens on.", null);
        }
        if (dns.getService() != null && dns.getPort() != null) {
            throw new QorbConfigurationException(dnsPrefix + ".port", "SRV mode takes ports from the SRV records",
                    "Remove " + dnsPrefix + ".port, or use " + dnsPrefix + ".host instead of .service.", null);
        }
        try {
            DnsResolverConfig.Builder config = dns.getService() != null ? DnsResolverConfig.srv(dns.getService())
                    : DnsResolverConfig.host(dns.getHost(), dns.getPort());
            config.servers(dns.getServers().stream().map(this::server).toList())
                    .family(dns.getFamily())
                    .queryInterval(dns.getQueryInterval())
                    .retryInterval(dns.getRetryInterval())
                    .queryTimeout(dns.getQueryTimeout())
                    .maxConcurrency(dns.getMaxConcurrency());
            if (dns.getServerDiscovery() != null) {
                config.serverDiscovery(dns.getServerDiscovery());
            }
            if (dns.getHardTtl() != null) {
                config.hardTtl(dns.getHardTtl());
            }
            return config.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid(".resolver.dns", e);
        }
    }

    private InetSocketAddress server(String address) {
        try {
            HostPort server = HostPort.parse(address);
            return new InetSocketAddress(server.host(), server.port());
        } catch (IllegalArgumentException e) {
            throw new QorbConfigurationException(prefix() + ".resolver.dns.servers", e.getMessage(),
                    "Write each DNS server as ip:port, e.g. 10.0.0.53:53.", e);
        }
    }

    /** Maps a validation message that starts with a field name to the property of that field. */
    private QorbConfigurationException invalid(String section, RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        Matcher field = FIELD.matcher(message);
        String property = prefix() + section;
        if (field.find()) {
            property += "." + kebab(field.group(1));
        }
        return new QorbConfigurationException(property, message,
                "Fix " + property + " in your configuration (see the qorb property reference in the README).", e);
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
