package dev.qorb.pool;

import dev.qorb.Policy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How many slots each backend should have: the pure part of rebalancing, with no state and
 * no threads, so that it can be tested value by value.
 *
 * <p>The rule, qorb's with max slots as a hard cap and RFC 2782 priorities and weights:
 * <ol>
 *   <li>The active priority is the lowest one with a backend online. Backends of higher
 *       priorities get nothing while it has one; when none has, the next priority is active.
 *   <li>Every backend that may lend, of the active priority or a lower one, is held at one
 *       slot, offline ones included (their probe), in preference order while the cap allows.
 *   <li>The pool wants {@code min(claimed + sparesWanted, maxSlots)} slots in all; what the
 *       previous step did not use of that is spread over the online backends of the active
 *       priority in proportion to their weights, each capped at the per-backend maximum,
 *       with what one cannot take going to the others. Weight 0 gets slots only when the
 *       others have no room.
 *   <li>Backends being drained or removed get 0.
 * </ol>
 * Targets never sum above {@code maxSlots}. A backend whose claimed slots exceed its target
 * keeps them until they return; the pool sheds them then.
 */
final class SlotTargets {

    /**
     * What the plan needs to know of one backend.
     *
     * @param lending whether claims may be served from it (not drained, not removed)
     * @param online whether it has a connection, or has not failed yet (a new backend is
     *     given its share at once instead of after its first connect, which would make the
     *     shares move, and connections churn, as backends come up one by one)
     * @param claimed its slots lent out now
     * @param current its slots now that are not leaving
     * @param priority its SRV priority, lower preferred
     * @param weight its SRV weight within its priority
     */
    record Candidate(boolean lending, boolean online, int claimed, int current, int priority, int weight) {

        /** A candidate of priority 0 and weight 1, as every backend of a fixed list is. */
        Candidate(boolean lending, boolean online, int claimed, int current) {
            this(lending, online, claimed, current, 0, 1);
        }
    }

    private SlotTargets() {
    }

    /**
     * @param backends in preference order, most preferred first
     * @return the target slot count of each backend, in the same order
     */
    static int[] targets(List<Candidate> backends, Policy policy) {
        int claimed = 0;
        for (Candidate backend : backends) {
            claimed += backend.claimed();
        }
        return targets(backends, policy, (int) Math.min((long) claimed + policy.sparesWanted(), policy.maxSlots()));
    }

    /**
     * The most slots each backend could be given, however many claims there were: the targets
     * when the pool wants {@code maxSlots}.
     *
     * @param backends in preference order, most preferred first
     */
    static int[] capacities(List<Candidate> backends, Policy policy) {
        return targets(backends, policy, policy.maxSlots());
    }

    private static int[] targets(List<Candidate> backends, Policy policy, int wanted) {
        int n = backends.size();
        int active = Integer.MAX_VALUE;
        for (Candidate backend : backends) {
            if (backend.lending() && backend.online()) {
                active = Math.min(active, backend.priority());
            }
        }
        int[] targets = new int[n];
        int budget = policy.maxSlots();
        for (int i = 0; i < n && budget > 0; i++) {
            Candidate backend = backends.get(i);
            if (backend.lending() && backend.priority() <= active) {
                targets[i] = 1;
                budget--;
            }
        }
        int held = policy.maxSlots() - budget;
        spread(backends, targets, active, Math.min(budget, Math.max(0, wanted - held)), policy.backend().maxSlots());
        return targets;
    }

    /**
     * Adds {@code extra} slots over the online, lending backends of the active priority with
     * room, in proportion to weight (largest remainder). Remainders go to the largest
     * fractions, then to those that have the most slots now (the most preferred among
     * equals), so that a remainder does not hop between backends from one rebalance to the
     * next and close connections only to open them elsewhere.
     */
    private static void spread(List<Candidate> backends, int[] targets, int active, int extra, int perBackendMax) {
        while (extra > 0) {
            List<Integer> withRoom = new ArrayList<>();
            long totalWeight = 0;
            for (int i = 0; i < targets.length; i++) {
                Candidate backend = backends.get(i);
                if (backend.lending() && backend.online() && backend.priority() == active
                        && targets[i] < perBackendMax) {
                    withRoom.add(i);
                    totalWeight += backend.weight();
                }
            }
            if (withRoom.isEmpty()) {
                return;
            }
            boolean unweighted = totalWeight == 0;
            long weightSum = unweighted ? withRoom.size() : totalWeight;
            double[] fraction = new double[targets.length];
            int given = 0;
            for (int i : withRoom) {
                long weight = unweighted ? 1 : backends.get(i).weight();
                double share = (double) extra * weight / weightSum;
                int give = Math.min((int) share, perBackendMax - targets[i]);
                fraction[i] = share - Math.floor(share);
                targets[i] += give;
                given += give;
            }
            // At least one backend takes one: every remainder is at least 1 here, and a backend
            // with weight above 0 (or every one, when unweighted) qualifies.
            int remainder = extra - given;
            withRoom.sort(Comparator.comparingDouble((Integer i) -> -fraction[i])
                    .thenComparingInt(i -> targets[i] - backends.get(i).current()));
            for (int i : withRoom) {
                if (remainder > 0 && targets[i] < perBackendMax
                        && (fraction[i] > 0 || unweighted || backends.get(i).weight() > 0)) {
                    targets[i]++;
                    remainder--;
                    given++;
                }
            }
            extra -= given;
        }
    }
}
