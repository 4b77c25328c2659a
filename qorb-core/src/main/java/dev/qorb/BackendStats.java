package dev.qorb;

import java.util.Optional;

/**
 * A snapshot of one backend's slots. Counts are read one slot at a time while the pool runs,
 * so under load they are close to, not exactly, one instant.
 *
 * @param name the resolver's name for the backend
 * @param backend the backend
 * @param online whether at least one slot holds a connection (idle, checking or claimed)
 * @param draining whether the pool was told to lend no more from this backend (removed by the resolver, or drained by an operator)
 * @param ejected whether the pool took the backend out for a while because its connections kept failing (outlier ejection); it must connect anew before it lends again
 * @param connecting slots without a connection: connecting, or waiting to retry
 * @param unclaimed idle connections ready to lend
 * @param checking connections in a health check or being recycled after a claim
 * @param claimed connections lent out
 * @param claims claims served from this backend since it appeared
 * @param recentFailures connect, check and recycle failures in the last {@link BackendPolicy#failureWindow()}
 * @param connectFailures connect attempts that failed since the backend appeared
 * @param checkFailures health checks, recycles, {@code onAcquire} calls and invalidations that failed since the backend appeared
 * @param lastError the last failure, as {@code ExceptionType: message}, if any
 */
public record BackendStats(
        String name,
        Backend backend,
        boolean online,
        boolean draining,
        boolean ejected,
        int connecting,
        int unclaimed,
        int checking,
        int claimed,
        long claims,
        int recentFailures,
        long connectFailures,
        long checkFailures,
        Optional<String> lastError) {

    /** All slots of the backend, whatever their state. */
    public int slots() {
        return connecting + unclaimed + checking + claimed;
    }
}
