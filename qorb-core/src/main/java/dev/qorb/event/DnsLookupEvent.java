package dev.qorb.event;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One lookup of a DNS resolver: every query for its name, from the first to the last answer or failure. */
@Name("dev.qorb.DnsLookup")
@Label("DNS Lookup")
@Category("qorb")
@Description("One lookup of a DNS resolver: every query for its name, from the first to the last answer or failure.")
public final class DnsLookupEvent extends Event {

    /** What was looked up: the SRV name, or the host name. */
    @Label("Name")
    public String name;

    /** {@code ANSWERED}, {@code EMPTY}, {@code ERROR} or {@code TIMEOUT} (see {@code dev.qorb.dns.LookupOutcome}). */
    @Label("Outcome")
    public String outcome;

    /** The server whose answer was used, or the servers that failed ({@code ip:port}, comma-separated). */
    @Label("Server")
    public String server;

    /** The backends the resolver reports after the lookup. */
    @Label("Backends")
    public int backends;

    /** Why the lookup failed, when it did. */
    @Label("Error")
    public String error;
}
