package dev.qorb.resolver;

import dev.qorb.Backend;
import java.net.InetSocketAddress;
import java.util.regex.Pattern;

/**
 * A {@code host:port} pair parsed from user input, with errors that say what is wrong.
 *
 * @param host a name, an IPv4 literal, or an IPv6 literal without brackets
 * @param port 1 to 65535
 */
public record HostPort(String host, int port) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public HostPort {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535 but was " + port);
        }
    }

    /**
     * Parses {@code host:port}, {@code 10.0.0.1:80} or {@code [::1]:80}.
     *
     * @throws IllegalArgumentException quoting the input and saying what is wrong
     */
    public static HostPort parse(String input) {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("address must not be empty; expected host:port such as 127.0.0.1:7001");
        }
        String text = input.strip();
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw invalid(input, "an IPv6 address needs the form [address]:port, such as [::1]:7001");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw invalid(input, "the port is missing; expected host:port such as 127.0.0.1:7001");
            }
            if (text.indexOf(':') != colon) {
                throw invalid(input, "an IPv6 address must be in brackets, such as [::1]:7001");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw invalid(input, "the host is missing; expected host:port such as 127.0.0.1:7001");
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw invalid(input, "the port '" + port + "' is not a number");
        }
        if (portNumber < 1 || portNumber > 65535) {
            throw invalid(input, "the port " + portNumber + " is outside 1 to 65535");
        }
        return new HostPort(host, portNumber);
    }

    /** Whether the host is an IP address rather than a name: nothing to look up. */
    public boolean ipLiteral() {
        return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
    }

    /** A backend at this address, named by it; a host name is resolved now, once. */
    public Backend toBackend() {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address '" + this + "': the host '" + host + "' does not resolve");
        }
        return new Backend(address);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static IllegalArgumentException invalid(String input, String problem) {
        return new IllegalArgumentException("invalid address '" + input + "': " + problem);
    }
}
