package dev.qorb.pool;

import dev.qorb.Policy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How many slots each backend should have: the pure part of rebalancing, with no state and
 * no threads, so that it can be tested value by value.
 *
 * <p>The rule, qorb's with max slots as a hard cap:
 * <ol>
 *   <li>Every backend that may lend is held at one slot, offline ones included (their probe),
 *       in preference order while the cap allows.
 *   <li>The pool wants {@code min(claimed + sparesWanted, maxSlots)} slots in all; what the
 *       first step did not use of that is spread evenly over the online backends, the
 *       remainder to the most preferred, each capped at the per-backend maximum, with what
 *       one cannot take going to the others.
 *   <li>Backends being drained or removed get 0.
 * </ol>
 * Targets never sum above {@code maxSlots}. A backend whose claimed slots exceed its target
 * keeps them until they return; the pool sheds them then.
 */
final class Rebalancer {

    /**
     * What the plan needs to know of one backend.
     *
     * @param lending whether claims may be served from it (not drained, not removed)
     * @param online whether it has a connection, or has not failed yet (a new backend is
     *     given its share at once instead of after its first connect, which would make the
     *     shares move, and connections churn, as backends come up one by one)
     * @param claimed its slots lent out now
     * @param current its slots now that are not leaving
     */
    record Candidate(boolean lending, boolean online, int claimed, int current) {
    }

    private Rebalancer() {
    }

    /**
     * @param backends in preference order, most preferred first
     * @return the target slot count of each backend, in the same order
     */
    static int[] targets(List<Candidate> backends, Policy policy) {
        int n = backends.size();
        int[] targets = new int[n];
        int budget = policy.maxSlots();
        int claimed = 0;
        for (int i = 0; i < n; i++) {
            Candidate backend = backends.get(i);
            claimed += backend.claimed();
            if (backend.lending() && budget > 0) {
                targets[i] = 1;
                budget--;
            }
        }
        int held = policy.maxSlots() - budget;
        int wanted = (int) Math.min((long) claimed + policy.sparesWanted(), policy.maxSlots());
        spread(backends, targets, Math.min(budget, Math.max(0, wanted - held)), policy.backend().maxSlots());
        return targets;
    }

    /**
     * Adds {@code extra} slots over the online, lending backends with room, evenly; the
     * remainder goes to those that have the most slots now (the most preferred among equals),
     * so that a remainder does not hop between backends from one rebalance to the next and
     * close connections only to open them elsewhere.
     */
    private static void spread(List<Candidate> backends, int[] targets, int extra, int perBackendMax) {
        while (extra > 0) {
            List<Integer> withRoom = new ArrayList<>();
            for (int i = 0; i < targets.length; i++) {
                if (canGrow(backends.get(i), targets[i], perBackendMax)) {
                    withRoom.add(i);
                }
            }
            if (withRoom.isEmpty()) {
                return;
            }
            withRoom.sort(Comparator.comparingInt((Integer i) -> backends.get(i).current() - targets[i]).reversed());
            int share = extra / withRoom.size();
            int remainder = extra % withRoom.size();
            for (int i : withRoom) {
                int give = Math.min(share + (remainder-- > 0 ? 1 : 0), perBackendMax - targets[i]);
                targets[i] += give;
                extra -= give;
            }
        }
    }

    private static boolean canGrow(Candidate backend, int target, int perBackendMax) {
        return backend.lending() && backend.online() && target < perBackendMax;
    }
}
