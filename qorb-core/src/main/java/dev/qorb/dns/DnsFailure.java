package dev.qorb.dns;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A DNS query that got no usable answer, from one server or (joined) from every server asked,
 * with a message an operator can act on: {@code SERVFAIL from 127.0.0.1:5353 for _pg._tcp.db.example. SRV}.
 */
final class DnsFailure extends IOException {

    private static final long serialVersionUID = 1L;

    /** Whether every server failed by not answering in time. */
    final boolean timeout;
    /** The servers that failed, {@code ip:port}, comma-separated. */
    final String servers;

    DnsFailure(String message, boolean timeout, String servers) {
        super(message);
        this.timeout = timeout;
        this.servers = servers;
    }

    /** Every server asked failed: one failure saying so. */
    static DnsFailure of(List<DnsFailure> failures) {
        if (failures.size() == 1) {
            return failures.get(0);
        }
        return new DnsFailure(failures.stream().map(DnsFailure::getMessage).collect(Collectors.joining("; ")),
                failures.stream().allMatch(f -> f.timeout),
                failures.stream().map(f -> f.servers).distinct().collect(Collectors.joining(", ")));
    }
}
