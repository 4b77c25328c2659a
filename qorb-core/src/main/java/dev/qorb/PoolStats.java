package dev.qorb;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of a pool: its state, its claims, and each backend's slots.
 *
 * @param pool the pool's name
 * @param state the pool's state
 * @param backends each backend's stats, by the resolver's name for it, most preferred first
 * @param claims claims served since the pool was built
 * @param failedClaims claims that failed since the pool was built, by why
 * @param waiting claims waiting for a connection now
 */
public record PoolStats(String pool, PoolState state, Map<String, BackendStats> backends, long claims,
        Map<ClaimException.Kind, Long> failedClaims, int waiting) {

    public PoolStats {
        backends = Collections.unmodifiableMap(new LinkedHashMap<>(backends));
        failedClaims = Collections.unmodifiableMap(new EnumMap<>(failedClaims));
    }

    /** Connect attempts that failed, over the backends known now. */
    public long connectFailures() {
        return backends.values().stream().mapToLong(BackendStats::connectFailures).sum();
    }

    /** Checks, recycles and {@code onAcquire} calls that failed, over the backends known now. */
    public long checkFailures() {
        return backends.values().stream().mapToLong(BackendStats::checkFailures).sum();
    }

    /** Backends with at least one connection. */
    public int backendsOnline() {
        return (int) backends.values().stream().filter(BackendStats::online).count();
    }

    /** Slots of every backend. */
    public int slots() {
        return backends.values().stream().mapToInt(BackendStats::slots).sum();
    }

    /** Connections lent out, across backends. */
    public int claimed() {
        return backends.values().stream().mapToInt(BackendStats::claimed).sum();
    }

    /** Idle connections ready to lend, across backends. */
    public int unclaimed() {
        return backends.values().stream().mapToInt(BackendStats::unclaimed).sum();
    }
}
