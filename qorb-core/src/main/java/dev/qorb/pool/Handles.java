package dev.qorb.pool;

import dev.qorb.ClaimException;
import dev.qorb.event.ClaimEvent;
import dev.qorb.event.ReleaseEvent;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * The ends of a claim: handing a claimed slot out as a {@link SlotHandle}, taking it back on
 * release, and counting claims served and failed.
 *
 * <p>Thread-safety: called by claimers and releasing threads concurrently; counters are
 * {@link LongAdder}s, so the claim path writes no shared hot word.
 * <p>Invariants: {@code claims} counts every handle handed out, whatever becomes of its
 * backend later, so the pool's total is exact.
 *
 * @param <C> the connection type
 */
final class Handles<C> {

    /** The cause recorded for an invalidation that gave none. */
    private static final Exception INVALIDATED = new Invalidated();

    private final String pool;
    private final SlotLifecycle<C> lifecycle;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    /** 0 when leak detection is off. */
    private final long leakThresholdNanos;
    private final LongAdder claims = new LongAdder();
    /** Failed claims by kind, indexed by ordinal; only the slow path writes them. */
    private final LongAdder[] failedClaims = Stream.generate(LongAdder::new)
            .limit(ClaimException.Kind.values().length).toArray(LongAdder[]::new);

    Handles(String pool, SlotLifecycle<C> lifecycle, ScheduledExecutorService scheduler, Clock clock,
            long leakThresholdNanos) {
        this.pool = pool;
        this.lifecycle = lifecycle;
        this.scheduler = scheduler;
        this.clock = clock;
        this.leakThresholdNanos = leakThresholdNanos;
    }

    String pool() {
        return pool;
    }

    /** Hands a claimed slot to its claimer. */
    SlotHandle<C> handOut(Slot<C> slot, ClaimEvent event) {
        claims.increment();
        slot.set.countClaim();
        // The claim time serves only leak reports and the Release event: read the clock only for them.
        SlotHandle<C> handle = new SlotHandle<>(this, slot,
                leakThresholdNanos > 0 || new ReleaseEvent().isEnabled() ? clock.nanoTime() : 0);
        if (leakThresholdNanos > 0) {
            handle.leakTimer = scheduler.schedule(new LeakReport(pool, handle, leakThresholdNanos), leakThresholdNanos,
                    TimeUnit.NANOSECONDS);
        }
        event.end();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.backend = slot.set.toString();
            event.outcome = "claimed";
            event.commit();
        }
        return handle;
    }

    /**
     * Called by a handle, once.
     *
     * @param cause why the claimer invalidated the connection, or {@code null}
     */
    void release(SlotHandle<C> handle, Slot<C> slot, boolean invalidate, Throwable cause) {
        if (handle.leakTimer != null) {
            handle.leakTimer.cancel(false);
        }
        ReleaseEvent event = new ReleaseEvent();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.backend = slot.set.toString();
            // 0: the recording started after the claim, which then did not read the clock.
            event.held = handle.claimedAtNanos == 0 ? 0 : clock.nanoTime() - handle.claimedAtNanos;
            event.invalidated = invalidate;
            event.commit();
        }
        if (invalidate) {
            lifecycle.failedInUse(slot, cause != null ? cause : INVALIDATED);
            lifecycle.replace(slot);
        } else {
            slot.set.connectionSucceeded();
            lifecycle.released(slot);
        }
    }

    /** Counts a failed claim and ends its event; returns the failure for the caller to throw. */
    ClaimException failed(ClaimEvent event, ClaimException failure) {
        failedClaims[failure.kind().ordinal()].increment();
        event.end();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.outcome = failure.kind().name();
            event.commit();
        }
        return failure;
    }

    long claims() {
        return claims.sum();
    }

    Map<ClaimException.Kind, Long> failedClaims() {
        Map<ClaimException.Kind, Long> failed = new EnumMap<>(ClaimException.Kind.class);
        for (ClaimException.Kind kind : ClaimException.Kind.values()) {
            failed.put(kind, failedClaims[kind.ordinal()].sum());
        }
        return failed;
    }

    /** An invalidation without a cause, as the backend's last error. */
    private static final class Invalidated extends Exception {
        private static final long serialVersionUID = 1L;

        Invalidated() {
            super("the claimer invalidated the connection without giving a cause", null, false, false);
        }
    }
}
