package dev.qorb.dns;

/** How one lookup of a {@link DnsResolver} ended: every query it made for its name, together. */
public enum LookupOutcome {
    /** Backends were found. */
    ANSWERED,
    /** The servers answered, with no backend: NXDOMAIN, NODATA, or SRV targets without addresses. */
    EMPTY,
    /** Every server failed, at least one other than by timing out (SERVFAIL, REFUSED, refused connection, garbage). */
    ERROR,
    /** Every server failed by not answering within the query timeout. */
    TIMEOUT
}
