package dev.qorb;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One instance of a service: a socket address any claim may be served from.
 *
 * <p>Resolvers report backends keyed by a stable name; two reports that name the same
 * backend with an equal {@code Backend} leave its connections alone.
 *
 * @param address where the backend listens; never {@code null}
 */
public record Backend(InetSocketAddress address) {

    public Backend {
        Objects.requireNonNull(address, "address");
    }

    /** A backend at {@code address:port}. */
    public static Backend of(InetAddress address, int port) {
        return new Backend(new InetSocketAddress(address, port));
    }

    /**
     * A backend at {@code host:port}; the host is resolved now, once (use a resolver for
     * names whose addresses change).
     */
    public static Backend of(String host, int port) {
        return new Backend(new InetSocketAddress(host, port));
    }

    /** {@code 127.0.0.1:7001} or {@code [::1]:7001}: the form used in logs and messages. */
    @Override
    public String toString() {
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
