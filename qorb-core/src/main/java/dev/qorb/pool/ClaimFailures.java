package dev.qorb.pool;

import dev.qorb.ClaimException;
import dev.qorb.Policy;
import dev.qorb.Secrets;
import dev.qorb.resolver.Resolver;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Turns the pool's state into the most helpful {@link ClaimException}: which of qorb's reasons
 * applies, with the numbers behind it.
 *
 * <p>Thread-safety: immutable; it reads only what it is given.
 */
final class ClaimFailures {

    private final String pool;
    private final Resolver resolver;
    private final Policy policy;

    ClaimFailures(String pool, Resolver resolver, Policy policy) {
        this.pool = pool;
        this.resolver = resolver;
        this.policy = policy;
    }

    ClaimException closed() {
        return new ClaimException(ClaimException.Kind.POOL_CLOSED, pool, "pool '" + pool + "' is closed", null);
    }

    ClaimException interrupted() {
        return new ClaimException(ClaimException.Kind.INTERRUPTED, pool,
                "pool '" + pool + "': interrupted while waiting for a connection", null);
    }

    /**
     * @param known the backends the resolver reports now
     * @param resolved whether the resolver has reported at all
     * @param closing whether the pool is closing
     * @param waiting claims waiting now, besides the one failing
     * @param waitedNanos how long the failing claim waited, or negative when it did not wait
     */
    <C> ClaimException reason(List<SlotSet<C>> known, boolean resolved, boolean closing, int waiting,
            long waitedNanos) {
        String waited = waitedNanos < 0 ? "" : " (waited " + TimeUnit.NANOSECONDS.toMillis(waitedNanos) + " ms)";
        if (closing) {
            return closed();
        }
        if (known.isEmpty()) {
            return new ClaimException(ClaimException.Kind.NO_BACKENDS, pool, "pool '" + pool
                    + "': no backends: the resolver " + Secrets.mask(resolver.toString()) + " "
                    + (resolved ? "reports none" : "has not reported any backend yet") + waited, null);
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
                    + (drained > 0 ? " (" + drained + " drained)" : "") + lastError + waited, null);
        }
        return new ClaimException(ClaimException.Kind.ALL_CLAIMS_USED, pool, "pool '" + pool + "': all "
                + claimedNow(known) + " connections claimed, on " + online + " of " + known.size()
                + " backends online (max " + policy.maxSlots() + " slots), " + waiting
                + " other claims waiting" + waited + "; raise maxSlots or look for handles not closed", null);
    }

    /** The claim's deadline passed while the connector's onAcquire kept rejecting connections. */
    ClaimException acquireFailed(ClaimException why, int failures, Throwable last) {
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
