package dev.qorb.dns;

import dev.qorb.Backend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The backends a DNS resolver reports, and how long each record is believed.
 *
 * <p>The rule: only a successful lookup changes the table. A record it sees is valid for its
 * TTL (or the hard TTL) from then; a record it does not see is dropped once that TTL has run
 * out, so a TTL-0 record ("do not cache") or any TTL shorter than the query interval stays
 * exactly until the first successful lookup without it, and a record with a longer TTL may
 * outlive its removal from DNS by up to that TTL. Records whose own address lookup failed in
 * that round are kept. A failed lookup changes nothing: a DNS outage must not empty the pool.
 *
 * <p>Thread-safety: none; used by one lookup chain, one lookup at a time.
 */
final class RecordTable {

    private record Entry(Backend backend, String family, long expiresAtNanos) {
    }

    private final Optional<Duration> hardTtl;
    /** By backend name, in name order. */
    private final Map<String, Entry> entries = new TreeMap<>();

    RecordTable(Optional<Duration> hardTtl) {
        this.hardTtl = hardTtl;
    }

    /**
     * Applies a successful lookup.
     *
     * @param failedFamilies the address lookups ({@code target type}) that failed in it
     */
    void seen(List<BackendLookup.Found> found, Set<String> failedFamilies, long nowNanos) {
        Map<String, Entry> fresh = new LinkedHashMap<>();
        for (BackendLookup.Found f : found) {
            long ttl = hardTtl.map(Duration::toNanos)
                    .orElse(TimeUnit.SECONDS.toNanos(Math.min(f.ttlSeconds(), Integer.MAX_VALUE)));
            fresh.put(f.backend().name(), new Entry(f.backend(), f.family(), nowNanos + ttl));
        }
        entries.entrySet().removeIf(e -> !fresh.containsKey(e.getKey())
                && !failedFamilies.contains(e.getValue().family()) && e.getValue().expiresAtNanos() - nowNanos <= 0);
        entries.putAll(fresh);
    }

    int size() {
        return entries.size();
    }

    /** Every backend, by name. */
    Map<String, Backend> backends() {
        Map<String, Backend> backends = new LinkedHashMap<>();
        entries.forEach((name, entry) -> backends.put(name, entry.backend()));
        return backends;
    }

    /** For operators: each backend and when its TTL runs out. */
    List<DnsResolver.RecordStatus> statuses(long nowNanos, Instant now) {
        List<DnsResolver.RecordStatus> statuses = new ArrayList<>(entries.size());
        entries.forEach((name, entry) -> statuses.add(new DnsResolver.RecordStatus(name, entry.backend(),
                now.plusNanos(entry.expiresAtNanos() - nowNanos))));
        return statuses;
    }
}
