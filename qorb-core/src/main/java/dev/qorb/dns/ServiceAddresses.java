package dev.qorb.dns;

import dev.qorb.resolver.FixedResolver;
import dev.qorb.resolver.HostPort;
import dev.qorb.resolver.Resolver;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Turns what a user writes into a resolver:
 * <ul>
 *   <li>{@code 127.0.0.1:7001}, {@code [::1]:7001}, or several separated by commas: a fixed list;
 *   <li>{@code db.example:5432}: the A/AAAA records of {@code db.example}, on port 5432;
 *   <li>{@code _pg._tcp.db.example}: the SRV records of that name.
 * </ul>
 */
public final class ServiceAddresses {

    private ServiceAddresses() {
    }

    /** @see #resolver(String, UnaryOperator) */
    public static Resolver resolver(String input) {
        return resolver(input, UnaryOperator.identity());
    }

    /**
     * @param dnsOptions adjusts the DNS settings (servers, intervals, family) when the input is a name
     * @throws IllegalArgumentException quoting the input and saying what is wrong
     */
    public static Resolver resolver(String input, UnaryOperator<DnsResolverConfig.Builder> dnsOptions) {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("a service address must not be empty; expected ip:port, host:port"
                    + " or an SRV name such as _pg._tcp.db.example");
        }
        String text = input.strip();
        if (text.startsWith("_")) {
            if (text.contains(":") || text.contains(",")) {
                throw new IllegalArgumentException("invalid service address '" + input
                        + "': an SRV name carries no port (the SRV records give it), such as _pg._tcp.db.example");
            }
            return new DnsResolver(dnsOptions.apply(DnsResolverConfig.srv(text)).build());
        }
        List<HostPort> addresses = Arrays.stream(text.split(",")).map(String::strip).map(HostPort::parse).toList();
        if (addresses.stream().allMatch(HostPort::ipLiteral)) {
            return FixedResolver.parse(addresses.stream().map(HostPort::toString).toList());
        }
        if (addresses.size() > 1) {
            throw new IllegalArgumentException("invalid service address '" + input
                    + "': a list may hold IP addresses only (ip:port,ip:port); use one host name or an SRV name");
        }
        HostPort host = addresses.get(0);
        return new DnsResolver(dnsOptions.apply(DnsResolverConfig.host(host.host(), host.port())).build());
    }
}
