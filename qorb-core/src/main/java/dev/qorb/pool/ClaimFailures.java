package dev.qorb.pool;

import dev.qorb.Backend;
import dev.qorb.ClaimException;
import dev.qorb.Policy;
import dev.qorb.PoolState;
import dev.qorb.Secrets;
import dev.qorb.resolver.Resolver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Turns the pool's state into the most helpful {@link ClaimException}: which of qorb's reasons
 * applies, with the numbers behind it.
 *
 * <p>Thread-safety: reads the pool's published state; safe from any thread.
 */
final class ClaimFailures {

    private final String pool;
    private final Resolver resolver;
    private final Supplier<Policy> policy;
    private final Backends<?> backends;
    private final PoolLife life;
    private final ClaimQueue<?> queue;

    ClaimFailures(String pool, Resolver resolver, Supplier<Policy> policy, Backends<?> backends, PoolLife life,
            ClaimQueue<?> queue) {
        this.pool = pool;
        this.resolver = resolver;
        this.policy = policy;
        this.backends = backends;
        this.life = life;
        this.queue = queue;
    }

    ClaimException closed() {
        return new ClaimException(ClaimException.Kind.POOL_CLOSED, pool, "pool '" + pool + "' is closed", null);
    }

    ClaimException interrupted() {
        return new ClaimException(ClaimException.Kind.INTERRUPTED, pool,
                "pool '" + pool + "': interrupted while waiting for a connection", null);
    }

    /**
     * Why a claim must fail at once without waiting, or {@code null}: the pool is closed or has
     * failed, or the resolver reports no backend and {@link Policy#failOnNoBackends()} is set.
     */
    ClaimException refusing() {
        if (life.closing()) {
            return closed();
        }
        return life.state() == PoolState.FAILED || reportsNoBackends() ? reason(-1) : null;
    }

    /** Whether claims fail fast now because the resolver's last report was empty. */
    boolean reportsNoBackends() {
        Map<String, Backend> reported = backends.reported();
        return policy.get().failOnNoBackends() && reported != null && reported.isEmpty();
    }

    /** The claim would have been one more than {@link Policy#maxWaiters()} waiting. */
    ClaimException tooManyWaiters() {
        return new ClaimException(ClaimException.Kind.TOO_MANY_WAITERS, pool, "pool '" + pool + "': "
                + queue.waiting() + " claims already waiting and maxWaiters is " + policy.get().maxWaiters() + "; "
                + load() + "; raise maxWaiters or maxSlots, or shed load before it reaches the pool", null);
    }

    /** CoDel shed the claim (see {@link Policy#targetClaimDelay()}). */
    ClaimException shed(long waitedNanos) {
        return new ClaimException(ClaimException.Kind.OVERLOADED, pool, "pool '" + pool + "': overloaded, claim shed"
                + " after waiting " + millis(waitedNanos) + " ms: claims have waited longer than targetClaimDelay ("
                + millis(targetClaimDelayNanos()) + " ms) for more than " + millis(ClaimDelay.INTERVAL_NANOS)
                + " ms, so some fail early instead of all being served late; " + load(), null);
    }

    /** The claim waited as long as CoDel lets a claim wait (see {@link Policy#targetClaimDelay()}). */
    ClaimException waitedPastDelayBound(long waitedNanos, long boundNanos) {
        return new ClaimException(ClaimException.Kind.OVERLOADED, pool, "pool '" + pool + "': overloaded, waited "
                + millis(waitedNanos) + " ms, the longest a claim may wait now with targetClaimDelay "
                + millis(targetClaimDelayNanos()) + " ms (" + boundNanos / targetClaimDelayNanos()
                + " times the target: 10, or 3 while no connection came free to an empty queue for 10); " + load(),
                null);
    }

    private long targetClaimDelayNanos() {
        return policy.get().targetClaimDelay().orElseThrow().toNanos();
    }

    private String load() {
        return claimedNow(backends.sets()) + " of max " + policy.get().maxSlots() + " connections claimed, "
                + queue.waiting() + " claims waiting";
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /**
     * The most helpful reason a claim could not be served now.
     *
     * @param waitedNanos how long the failing claim waited, or negative when it did not wait
     */
    ClaimException reason(long waitedNanos) {
        return reason(backends.sets(), backends.reported(), waitedNanos);
    }

    private <C> ClaimException reason(List<SlotSet<C>> known, Map<String, Backend> reported, long waitedNanos) {
        String waited = waitedNanos < 0 ? "" : " (waited " + TimeUnit.NANOSECONDS.toMillis(waitedNanos) + " ms)";
        if (life.closing()) {
            return closed();
        }
        boolean resolved = reported != null;
        // The backends known lag the report until the next rebalance: an empty report is believed at once.
        if (known.isEmpty() || resolved && reported.isEmpty()) {
            return new ClaimException(ClaimException.Kind.NO_BACKENDS, pool, "pool '" + pool
                    + "': no backends: the resolver " + Secrets.mask(resolver.toString()) + " "
                    + (resolved ? "reports none" : "has not reported any backend yet") + resolverError() + waited,
                    null);
        }
        int online = 0;
        int drained = 0;
        SlotSet<C> lastFailed = null;
        for (SlotSet<C> set : known) {
            if (!set.lending()) {
                drained++;
            } else if (set.online()) {
                online++;
            }
            if (set.lastFailure().isPresent() && (lastFailed == null
                    || set.lastFailure().get().atNanos() - lastFailed.lastFailure().get().atNanos() > 0)) {
                lastFailed = set;
            }
        }
        if (online == 0) {
            String lastError = lastFailed == null ? ""
                    : "; last error from " + lastFailed + ": " + lastFailed.lastFailure().get().description();
            return new ClaimException(ClaimException.Kind.NO_BACKENDS_ONLINE, pool, "pool '" + pool + "': "
                    + known.size() + (known.size() == 1 ? " backend" : " backends") + " known, none online"
                    + (drained > 0 ? " (" + drained + " drained)" : "") + lastError + resolverError() + waited, null);
        }
        return new ClaimException(ClaimException.Kind.ALL_CLAIMS_USED, pool, "pool '" + pool + "': all "
                + claimedNow(known) + " connections claimed, on " + online + " of " + known.size()
                + " backends online (max " + policy.get().maxSlots() + " slots), " + queue.waiting()
                + " other claims waiting" + waited + "; raise maxSlots or look for handles not closed", null);
    }

    /** The resolver's lookup error while it has one, such as a DNS server's SERVFAIL. */
    private String resolverError() {
        return resolver.lastError().map(error -> "; the resolver's last lookup failed: " + Secrets.mask(error))
                .orElse("");
    }

    /** The claim's deadline passed while the connector's onAcquire kept rejecting connections. */
    ClaimException acquireFailed(long waitedNanos, int failures, Throwable last) {
        ClaimException why = reason(waitedNanos);
        return new ClaimException(why.kind(), pool, why.getMessage() + "; onAcquire failed " + failures
                + (failures == 1 ? " time" : " times") + ", last: " + SlotSet.describe(last), last);
    }

    static int claimedNow(List<? extends SlotSet<?>> sets) {
        int claimed = 0;
        for (SlotSet<?> set : sets) {
            claimed += set.claimedCount();
        }
        return claimed;
    }
}
