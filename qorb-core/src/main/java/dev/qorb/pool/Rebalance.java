package dev.qorb.pool;

import dev.qorb.Backend;
import dev.qorb.Policy;
import dev.qorb.event.RebalanceEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * One rebalance, applied: brings the slot sets in line with the resolver's backends, ranks
 * them, asks {@link SlotTargets} for targets, retires what is above them and adds what is
 * missing within max slots.
 *
 * <p>Thread-safety: not thread-safe; the pool runs it under its rebalance lock.
 *
 * @param <C> the connection type
 */
final class Rebalance<C> {

    /** How long a connection must have been unused before it may be closed to open one elsewhere. */
    static final long MOVE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * The outcome.
     *
     * @param sets every backend the resolver reports, most preferred first
     * @param order what claims read
     * @param roomToGrow whether more claims could make the pool open more slots: false when
     *     every backend already holds the most the policy lets it have. What changes that
     *     asks for a rebalance itself (a backend added, back online or failing its first
     *     connect, a slot ending, a resize), so claims need not ask for one until then
     */
    record Result<C>(List<SlotSet<C>> sets, ClaimOrder<C> order, boolean roomToGrow) {
    }

    /**
     * A backend with what its rank is made of, fixed for one rebalance; {@code online} here
     * also counts a backend that has not failed yet (see {@link SlotTargets.Candidate}).
     */
    private record Ranked<C>(SlotSet<C> set, boolean lending, boolean online, double score) {
    }

    /**
     * Lending, then usable, then SRV priority, then the backend's stable rendezvous score: no
     * per-rebalance jitter and no failure count, which would move the order (and, with more
     * backends than slots, the subset holding slots) at every rebalance and make the pool
     * reconnect at rest. A backend that fails goes offline and so drops behind the usable ones;
     * a backend whose connections keep failing while it is online is ejected.
     */
    private static final Comparator<Ranked<?>> PREFERENCE = Comparator
            .comparing((Ranked<?> r) -> !r.lending())
            .thenComparing(r -> !r.online())
            .thenComparingInt(r -> r.set().backend().priority())
            .thenComparingDouble(Ranked::score);

    private final String pool;
    private final Supplier<Policy> policy;
    /** The pool's own seed for rendezvous scores, so that pools spread over different subsets. */
    private final long seed;
    private final SlotLifecycle<C> lifecycle;
    /** Slots not yet terminated, pool-wide: removed backends' and retired ones still out on claims included. */
    private final IntSupplier openSlots;
    private final Consumer<SlotSet<C>> onRemoved;
    /** Asks for another rebalance in a while, when slots are still to move. */
    private final Runnable retrySoon;
    /** When connections last moved between backends for want of room; rebalances run one at a time. */
    private long lastMoveNanos = Long.MIN_VALUE / 2;
    private final long failureWindowNanos;

    Rebalance(String pool, Supplier<Policy> policy, long seed, SlotLifecycle<C> lifecycle, IntSupplier openSlots,
            Consumer<SlotSet<C>> onRemoved, Runnable retrySoon) {
        this.retrySoon = retrySoon;
        this.pool = pool;
        this.policy = policy;
        this.seed = seed;
        this.lifecycle = lifecycle;
        this.openSlots = openSlots;
        this.onRemoved = onRemoved;
        this.failureWindowNanos = policy.get().backend().failureWindow().toNanos();
    }

    /**
     * @param reported the resolver's backends, or {@code null} before its first report
     * @param current the sets the pool has
     */
    Result<C> run(Map<String, Backend> reported, List<SlotSet<C>> current, long nowNanos) {
        Policy now = policy.get();
        long epochSeed = now.decoherenceInterval()
                .map(interval -> Rendezvous.mix(seed + nowNanos / interval.toNanos())).orElse(seed);
        RebalanceEvent event = new RebalanceEvent();
        event.begin();
        List<SlotSet<C>> sets = follow(reported == null ? Map.of() : reported, current, nowNanos);
        List<Ranked<C>> ranked = new ArrayList<>(sets.size());
        int slotsBefore = 0;
        for (SlotSet<C> set : sets) {
            slotsBefore += set.liveSlots();
            boolean usable = set.online() || set.failuresInARow() == 0;
            ranked.add(new Ranked<>(set, set.lending(), usable,
                    Rendezvous.score(epochSeed, set.name(), set.backend().weight())));
        }
        ranked.sort(PREFERENCE);
        List<SlotTargets.Candidate> candidates = new ArrayList<>(ranked.size());
        for (Ranked<C> r : ranked) {
            candidates.add(new SlotTargets.Candidate(r.lending(), r.online(), r.set().claimedCount(),
                    r.set().liveSlots(), r.set().backend().priority(), r.set().backend().weight()));
        }
        int[] targets = SlotTargets.targets(candidates, now);
        int wanted = apply(ranked, targets, nowNanos, now);
        int[] capacities = SlotTargets.capacities(candidates, now);
        boolean roomToGrow = false;
        for (int i = 0; i < capacities.length && !roomToGrow; i++) {
            roomToGrow = capacities[i] > ranked.get(i).set().liveSlots();
        }
        event.end();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.backends = sets.size();
            event.backendsOnline = (int) ranked.stream().filter(Ranked::online).count();
            event.slotsBefore = slotsBefore;
            event.slotsWanted = wanted;
            event.commit();
        }
        return new Result<>(ranked.stream().map(Ranked::set).toList(), order(ranked), roomToGrow);
    }

    /** Keeps the sets of backends still reported, removes the others, adds new ones. */
    private List<SlotSet<C>> follow(Map<String, Backend> reported, List<SlotSet<C>> current, long nowNanos) {
        Map<String, SlotSet<C>> byName = new HashMap<>();
        for (SlotSet<C> set : current) {
            byName.put(set.name(), set);
        }
        List<SlotSet<C>> sets = new ArrayList<>(reported.size());
        reported.forEach((name, backend) -> {
            SlotSet<C> existing = byName.remove(name);
            if (existing != null && existing.backend().address().equals(backend.address())) {
                existing.backend(backend);
                sets.add(existing);
                return;
            }
            if (existing != null) {
                onRemoved.accept(existing);
            }
            sets.add(new SlotSet<>(name, backend, failureWindowNanos, nowNanos));
        });
        byName.values().forEach(onRemoved);
        return sets;
    }

    /**
     * Retires slots above their targets, then adds slots below them while max slots allows.
     *
     * <p>Shrinking is lazy: an idle connection above its backend's target is closed only after
     * {@code idleTimeout} unused, so claims that rise and fall do not make the pool reconnect.
     * Connections move sooner when they must: those of a backend that may not lend go at once;
     * those of a backend the plan gives nothing (outside the subset, or of a priority not in
     * use) once unused for {@link #MOVE_AFTER_NANOS}; and while a backend below its target
     * cannot grow for want of room, idle ones of backends above their targets, at most
     * {@code churnCap} per {@link #MOVE_AFTER_NANOS}, so that connections never close here only
     * to open elsewhere over and over, and a change of the subset moves slots gradually.
     *
     * <p>The room is what max slots leaves of every slot still open, those of removed backends
     * and retired ones out on claims included: max slots is a hard cap. One slot goes to each
     * backend that has none before any backend gets a second, so a new backend is not starved
     * by the room that claimed connections elsewhere take.
     *
     * @return the total wanted
     */
    private int apply(List<Ranked<C>> ranked, int[] targets, long nowNanos, Policy now) {
        long idleTimeoutNanos = now.backend().idleTimeout().toNanos();
        long moveBefore = nowNanos - Math.min(MOVE_AFTER_NANOS, idleTimeoutNanos);
        int wanted = 0;
        int needed = 0;
        List<Slot<C>> leaving = new ArrayList<>();
        for (int i = 0; i < targets.length; i++) {
            SlotSet<C> set = ranked.get(i).set();
            set.target(targets[i]);
            wanted += targets[i];
            set.sweepIdle(nowNanos);
            long idleBefore = !set.lending() ? nowNanos : targets[i] == 0 ? moveBefore : nowNanos - idleTimeoutNanos;
            leaving.addAll(set.retireExcess(targets[i], idleBefore));
            needed += Math.max(0, targets[i] - set.liveSlots());
        }
        // Above max slots (lowered at run time): idle connections go at once, least preferred first.
        int open = openSlots.getAsInt() - leaving.size();
        for (int i = targets.length - 1; i >= 0 && open > now.maxSlots(); i--) {
            open -= ranked.get(i).set().retireIdle(open - now.maxSlots(), nowNanos, leaving);
        }
        // Backends that cannot grow for want of room take idle connections from those above
        // target: any idle one (a busy backend's connections are rarely idle for long), but at
        // most churnCap per second.
        int moves = nowNanos - lastMoveNanos >= MOVE_AFTER_NANOS
                ? Math.min(needed - (now.maxSlots() - open), churnCap(now)) : 0;
        for (int i = targets.length - 1; i >= 0 && moves > 0; i--) {
            SlotSet<C> set = ranked.get(i).set();
            int excess = set.liveSlots() - targets[i];
            if (excess > 0) {
                int moved = set.retireIdle(Math.min(moves, excess), nowNanos, leaving);
                moves -= moved;
                if (moved > 0) {
                    lastMoveNanos = nowNanos;
                }
            }
        }
        leaving.forEach(lifecycle::terminateIfUnowned);
        int room = now.maxSlots() - openSlots.getAsInt();
        if (needed > room) {
            retrySoon.run(); // connections still to move once idle long enough, or claimed ones to come back
        }
        for (int i = 0; i < targets.length && room > 0; i++) {
            SlotSet<C> set = ranked.get(i).set();
            if (targets[i] > 0 && set.liveSlots() == 0) {
                lifecycle.grow(set);
                room--;
            }
        }
        for (int i = 0; i < targets.length && room > 0; i++) {
            SlotSet<C> set = ranked.get(i).set();
            int add = Math.min(targets[i] - set.liveSlots(), room);
            for (int k = 0; k < add; k++) {
                lifecycle.grow(set);
            }
            room -= Math.max(0, add);
        }
        return wanted;
    }

    /** Connections moved between backends in one rebalance, at most: cueball's churn limit. */
    private static int churnCap(Policy policy) {
        return Math.max(1, policy.maxSlots() / 4);
    }

    @SuppressWarnings("unchecked")
    private ClaimOrder<C> order(List<Ranked<C>> ranked) {
        List<SlotSet<C>> lending = new ArrayList<>();
        int spreadWidth = 0;
        for (Ranked<C> r : ranked) {
            // A backend without slots cannot lend: leaving it out keeps a claim's scan short when
            // there are many more backends than slots. Slots only come with a rebalance, which
            // publishes a new order.
            if (!r.lending() || r.set().slotCount() == 0) {
                continue;
            }
            if (spreadWidth == lending.size() && r.online()
                    && r.set().backend().priority() == ranked.get(0).set().backend().priority()) {
                spreadWidth++;
            }
            lending.add(r.set());
        }
        return ClaimOrder.of(lending.toArray(new SlotSet[0]), spreadWidth);
    }
}
