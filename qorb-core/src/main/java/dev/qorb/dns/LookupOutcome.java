package dev.qorb.dns;

/** How one backend lookup of a {@link DnsResolver} ended. */
public enum LookupOutcome {
    /** A server answered with records. */
    ANSWERED,
    /** Servers answered, with no records (NXDOMAIN or NODATA). */
    EMPTY,
    /** Every server failed. */
    ERROR,
    /** No server answered in time. */
    TIMEOUT
}
