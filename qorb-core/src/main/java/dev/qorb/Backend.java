package dev.qorb;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One instance of a service: a socket address any claim may be served from, with the SRV
 * priority and weight it was published with (RFC 2782), under the one name every report,
 * handle, log line and operator action uses for it.
 *
 * <p>The pool prefers the lowest priority that has backends online and uses higher ones only
 * while it has none; within a priority, slots spread in proportion to weight. A backend
 * whose priority or weight changes keeps its connections; one whose address changes is a
 * new backend.
 *
 * @param name what the backend is called: the key its resolver reports it under, and what
 *     {@link #toString()} returns; a fixed list's backends are named by their address
 *     ({@code 127.0.0.1:7001}), DNS backends by target and address
 *     ({@code a.db.example/10.0.0.7:5432}); never blank
 * @param address where the backend listens; never {@code null}
 * @param priority lower is preferred; 0 to 65535 (0 when not from SRV)
 * @param weight share within a priority; 0 to 65535 (1 when not from SRV; 0 means "only when
 *     the others have no room", as RFC 2782 has it)
 */
public record Backend(String name, InetSocketAddress address, int priority, int weight) {

    public Backend {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a backend's name must not be blank");
        }
        Objects.requireNonNull(address, "address");
        if (priority < 0 || priority > 65535) {
            throw new IllegalArgumentException("priority must be between 0 and 65535 but was " + priority);
        }
        if (weight < 0 || weight > 65535) {
            throw new IllegalArgumentException("weight must be between 0 and 65535 but was " + weight);
        }
    }

    /** A backend named by its address: {@code 127.0.0.1:7001} or {@code [::1]:7001}. */
    public Backend(InetSocketAddress address, int priority, int weight) {
        this(addressForm(address), address, priority, weight);
    }

    /** A backend of priority 0 and weight 1, named by its address: what every backend of a fixed list is. */
    public Backend(InetSocketAddress address) {
        this(address, 0, 1);
    }

    /** A backend at {@code address:port}, named by it. */
    public static Backend of(InetAddress address, int port) {
        return new Backend(new InetSocketAddress(address, port));
    }

    /**
     * A backend at {@code host:port}, named by the address; the host is resolved now, once
     * (use a resolver for names whose addresses change).
     */
    public static Backend of(String host, int port) {
        return new Backend(new InetSocketAddress(host, port));
    }

    /** The backend's {@link #name()}: the form used in logs and messages. */
    @Override
    public String toString() {
        return name;
    }

    private static String addressForm(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
