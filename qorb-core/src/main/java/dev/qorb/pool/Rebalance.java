package dev.qorb.pool;

import dev.qorb.Backend;
import dev.qorb.Policy;
import dev.qorb.event.RebalanceEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;

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

    /**
     * The outcome.
     *
     * @param sets every backend the resolver reports, most preferred first
     * @param order what claims read
     */
    record Result<C>(List<SlotSet<C>> sets, ClaimOrder<C> order) {
    }

    /**
     * A backend with what its rank is made of, fixed for one rebalance; {@code online} here
     * also counts a backend that has not failed yet (see {@link SlotTargets.Candidate}).
     */
    private record Ranked<C>(SlotSet<C> set, boolean lending, boolean online, int failures, double jitter) {
    }

    private static final Comparator<Ranked<?>> PREFERENCE = Comparator
            .comparing((Ranked<?> r) -> !r.lending())
            .thenComparing(r -> !r.online())
            .thenComparingInt(r -> r.set().backend().priority())
            .thenComparingInt(Ranked::failures)
            .thenComparingDouble(Ranked::jitter);

    private final String pool;
    private final Policy policy;
    private final SlotLifecycle<C> lifecycle;
    /** Slots not yet terminated, pool-wide: removed backends' and retired ones still out on claims included. */
    private final IntSupplier openSlots;
    private final Consumer<SlotSet<C>> onRemoved;
    private final long failureWindowNanos;

    Rebalance(String pool, Policy policy, SlotLifecycle<C> lifecycle, IntSupplier openSlots,
            Consumer<SlotSet<C>> onRemoved) {
        this.pool = pool;
        this.policy = policy;
        this.lifecycle = lifecycle;
        this.openSlots = openSlots;
        this.onRemoved = onRemoved;
        this.failureWindowNanos = policy.backend().failureWindow().toNanos();
    }

    /**
     * @param reported the resolver's backends, or {@code null} before its first report
     * @param current the sets the pool has
     */
    Result<C> run(Map<String, Backend> reported, List<SlotSet<C>> current, long nowNanos, RandomGenerator random) {
        RebalanceEvent event = new RebalanceEvent();
        event.begin();
        List<SlotSet<C>> sets = follow(reported == null ? Map.of() : reported, current);
        List<Ranked<C>> ranked = new ArrayList<>(sets.size());
        int slotsBefore = 0;
        for (SlotSet<C> set : sets) {
            slotsBefore += set.liveSlots();
            // The jitter, drawn anew each time, reshuffles equally good backends (cueball's decoherence).
            boolean usable = set.online() || set.failuresInARow() == 0;
            ranked.add(new Ranked<>(set, set.lending(), usable, set.recentFailures(nowNanos), random.nextDouble()));
        }
        ranked.sort(PREFERENCE);
        List<SlotTargets.Candidate> candidates = new ArrayList<>(ranked.size());
        for (Ranked<C> r : ranked) {
            candidates.add(new SlotTargets.Candidate(r.lending(), r.online(), r.set().claimedCount(),
                    r.set().liveSlots(), r.set().backend().priority(), r.set().backend().weight()));
        }
        int[] targets = SlotTargets.targets(candidates, policy);
        int wanted = apply(ranked, targets);
        event.end();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.backends = sets.size();
            event.backendsOnline = (int) ranked.stream().filter(Ranked::online).count();
            event.slotsBefore = slotsBefore;
            event.slotsWanted = wanted;
            event.commit();
        }
        return new Result<>(ranked.stream().map(Ranked::set).toList(), order(ranked));
    }

    /** Keeps the sets of backends still reported, removes the others, adds new ones. */
    private List<SlotSet<C>> follow(Map<String, Backend> reported, List<SlotSet<C>> current) {
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
            sets.add(new SlotSet<>(name, backend, failureWindowNanos));
        });
        byName.values().forEach(onRemoved);
        return sets;
    }

    /**
     * Retires slots above their targets first, then adds below them while max slots allows:
     * first one slot to each backend that has none, in rank order, so that every lending
     * backend gets its first slot before any gets a second, then the rest. The room is what
     * max slots leaves of every slot still open, so claimed connections on removed or shrinking
     * backends count until they return: max slots is a hard cap.
     *
     * @return the total wanted
     */
    private int apply(List<Ranked<C>> ranked, int[] targets) {
        int wanted = 0;
        for (int i = 0; i < targets.length; i++) {
            SlotSet<C> set = ranked.get(i).set();
            set.target(targets[i]);
            wanted += targets[i];
            for (Slot<C> slot : set.retireExcess(targets[i])) {
                lifecycle.terminateIfUnowned(slot);
            }
        }
        int room = policy.maxSlots() - openSlots.getAsInt();
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
            if (spreadWidth == lending.size() && r.online() && r.failures() == ranked.get(0).failures()
                    && r.set().backend().priority() == ranked.get(0).set().backend().priority()) {
                spreadWidth++;
            }
            lending.add(r.set());
        }
        return ClaimOrder.of(lending.toArray(new SlotSet[0]), spreadWidth);
    }
}
