package dev.qorb.pool;

import dev.qorb.ClaimException;
import dev.qorb.event.ClaimEvent;
import dev.qorb.event.ReleaseEvent;
import dev.qorb.metrics.MetricsTracker;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * The ends of a claim: handing a claimed slot out as a {@link SlotHandle}, taking it back on
 * release, and counting claims served and failed.
 *
 * <p>Thread-safety: called by claimers and releasing threads concurrently. The claim path
 * writes no shared word: each slot counts its own claims ({@link Slot#countClaim}, its
 * owner's plain write); the failure counters are {@link LongAdder}s, off the fast path.
 *
 * @param <C> the connection type
 */
final class Handles<C> {

    /** One claim in this many has its hold timed for the metrics tracker (a power of two). */
    private static final int HOLD_SAMPLE = 32;

    /** The cause recorded for an invalidation that gave none. */
    private static final Exception INVALIDATED = new Invalidated();

    private final String pool;
    private final SlotLifecycle<C> lifecycle;
    private final CallerHooks<C> callerHooks;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    /** 0 when leak detection is off. */
    private final long leakThresholdNanos;
    /** The pool's metrics tracker; set once by {@link #trackerReady}, before the pool is published. */
    private MetricsTracker tracker = MetricsTracker.NONE;
    /** Whether a tracker listens, so that a sample of holds is timed for it; set with {@code tracker}. */
    private boolean sampleHolds;
    /** Failed claims by kind, indexed by ordinal; only the slow path writes them. */
    private final LongAdder[] failedClaims = Stream.generate(LongAdder::new)
            .limit(ClaimException.Kind.values().length).toArray(LongAdder[]::new);

    Handles(String pool, SlotLifecycle<C> lifecycle, CallerHooks<C> callerHooks, ScheduledExecutorService scheduler,
            Clock clock, long leakThresholdNanos) {
        this.pool = pool;
        this.lifecycle = lifecycle;
        this.callerHooks = callerHooks;
        this.scheduler = scheduler;
        this.clock = clock;
        this.leakThresholdNanos = leakThresholdNanos;
    }

    String pool() {
        return pool;
    }

    /** The tracker is known once the pool is built: from then on holds are sampled if one listens. */
    void trackerReady(MetricsTracker ready) {
        tracker = ready;
        sampleHolds = ready != MetricsTracker.NONE;
    }

    /**
     * Hands a claimed slot to its claimer.
     *
     * @param waitNanos how long the claim waited; 0 on the fast path, which reads no clock
     */
    SlotHandle<C> handOut(Slot<C> slot, ClaimEvent event, long waitNanos) {
        slot.countClaim();
        tracker.claimed(waitNanos);
        // The claim time serves only leak reports, the Release event and a sample of holds for
        // the metrics tracker: read the clock only for them.
        boolean timeHold = leakThresholdNanos > 0 || new ReleaseEvent().isEnabled()
                || sampleHolds && (ThreadLocalRandom.current().nextInt() & (HOLD_SAMPLE - 1)) == 0;
        SlotHandle<C> handle = new SlotHandle<>(this, slot, timeHold ? clock.nanoTime() : 0);
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
        // claimedAtNanos 0: this hold was not timed (see handOut).
        long held = handle.claimedAtNanos == 0 ? MetricsTracker.NOT_TIMED : clock.nanoTime() - handle.claimedAtNanos;
        tracker.released(held);
        ReleaseEvent event = new ReleaseEvent();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.backend = slot.set.toString();
            event.held = Math.max(0, held);
            event.invalidated = invalidate;
            event.commit();
        }
        if (invalidate) {
            lifecycle.failedInUse(slot, cause != null ? cause : INVALIDATED);
            lifecycle.replace(slot);
        } else {
            slot.set.connectionSucceeded();
            callerHooks.released(slot);
        }
    }

    /**
     * Counts a failed claim and ends its event; returns the failure for the caller to throw.
     *
     * @param waitedNanos how long the claim waited before it failed
     */
    ClaimException failed(ClaimEvent event, ClaimException failure, long waitedNanos) {
        failedClaims[failure.kind().ordinal()].increment();
        tracker.claimFailed(failure.kind(), waitedNanos);
        event.end();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.outcome = failure.kind().name();
            event.commit();
        }
        return failure;
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
