package dev.qorb.pool;

import dev.qorb.Backend;
import dev.qorb.BackendStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backends a pool knows: what the resolver reports, the slot set of each in preference
 * order, and the removed ones whose claimed connections are still out.
 *
 * <p>Thread-safety: {@code reported} is written by the resolver's thread; {@code sets} only
 * by the rebalance, under its lock; both are immutable snapshots read by anyone.
 *
 * @param <C> the connection type
 */
final class Backends<C> {

    /** Written by the resolver's thread; read by the rebalance. {@code null} until the first report. */
    private volatile Map<String, Backend> reported;
    /** Written by the rebalance under its lock: the backends reported now, most preferred first. */
    private volatile List<SlotSet<C>> sets = List.of();
    /** Removed backends with slots still open (claimed when removed); pruned by each rebalance. */
    private final Set<SlotSet<C>> leaving = ConcurrentHashMap.newKeySet();
    /**
     * Claims served by backends that are gone for good: removed, and without a slot, so that
     * no claim can be counted on them any more. Written by the rebalance only.
     */
    private volatile long claimsOfGone;
    /** A sequence count of folds into {@code claimsOfGone}: odd while one runs. Written by the rebalance only. */
    private volatile int changes;

    void report(Map<String, Backend> backends) {
        reported = Map.copyOf(backends);
    }

    /** The resolver's last report, or {@code null} before its first. */
    Map<String, Backend> reported() {
        return reported;
    }

    List<SlotSet<C>> sets() {
        return sets;
    }

    void sets(List<SlotSet<C>> next) {
        sets = List.copyOf(next);
        // Odd while backends move from the published lists into claimsOfGone: readers retry.
        changes++;
        try {
            leaving.removeIf(set -> {
                if (set.slotCount() > 0) {
                    return false;
                }
                claimsOfGone += set.claims();
                return true;
            });
        } finally {
            changes++;
        }
    }

    /** A backend the resolver no longer reports: its slots leave as they come free. */
    void removed(SlotSet<C> set) {
        set.markRemoved();
        leaving.add(set); // until its last slot ends; its claims are folded into claimsOfGone then
    }

    /**
     * Claims served since the pool was built: exact, since a backend's count is kept until no
     * slot of it can serve a claim any more (a claim in {@code onAcquire} on a removed backend
     * still counts).
     */
    long claims() {
        for (;;) {
            int before = changes;
            List<SlotSet<C>> current = sets;
            long total = claimsOfGone;
            for (SlotSet<C> set : current) {
                total += set.claims();
            }
            for (SlotSet<C> set : leaving) {
                if (!current.contains(set)) { // a rebalance may be moving it from one to the other
                    total += set.claims();
                }
            }
            if ((before & 1) == 0 && before == changes) {
                return total;
            }
            Thread.onSpinWait(); // a rebalance was folding counts: it is quick, read again
        }
    }

    /** Every set that has slots or may get some: the current ones and those leaving. */
    List<SlotSet<C>> withSlots() {
        List<SlotSet<C>> all = new ArrayList<>(sets);
        all.addAll(leaving);
        return all;
    }

    SlotSet<C> named(String name) {
        for (SlotSet<C> set : sets) {
            if (set.name().equals(name)) {
                return set;
            }
        }
        return null;
    }

    Map<String, BackendStats> stats(long nowNanos) {
        Map<String, BackendStats> stats = new LinkedHashMap<>();
        for (SlotSet<C> set : sets) {
            stats.put(set.name(), set.stats(nowNanos));
        }
        return stats;
    }
}
