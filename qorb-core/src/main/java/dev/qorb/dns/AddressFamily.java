package dev.qorb.dns;

/** Which address records a DNS resolver looks up for each host. */
public enum AddressFamily {
    /** AAAA and A: a host with both gives a backend for each address. */
    BOTH,
    /** AAAA only. */
    IPV6_ONLY,
    /** A only. */
    IPV4_ONLY;

    boolean ipv6() {
        return this != IPV4_ONLY;
    }

    boolean ipv4() {
        return this != IPV6_ONLY;
    }
}
