package dev.qorb.pool;

import java.util.Arrays;

/**
 * The order in which claims look at backends, published by the rebalancer as one immutable
 * snapshot so that a claim reads it with one volatile read.
 *
 * @param sets the backends that may lend, most preferred first
 * @param spreadWidth how many leading backends are equally good (online, with the fewest
 *     recent failures, of the same SRV priority): claims start at one of them drawn by weight,
 *     so load spreads over them in proportion to their SRV weights instead of piling onto the
 *     first, and go on to the others when it has no idle connection
 * @param cumulativeWeights the running sum of the weights of the first {@code spreadWidth}
 *     backends; all zero when none has a weight, and then they are drawn alike
 * @param <C> the connection type
 */
record ClaimOrder<C>(SlotSet<C>[] sets, int spreadWidth, long[] cumulativeWeights) {

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final ClaimOrder<?> EMPTY = new ClaimOrder<>(new SlotSet[0], 0, new long[0]);

    @SuppressWarnings("unchecked")
    static <C> ClaimOrder<C> empty() {
        return (ClaimOrder<C>) EMPTY;
    }

    /** The order over {@code sets}, the first {@code spreadWidth} of them drawn by weight. */
    static <C> ClaimOrder<C> of(SlotSet<C>[] sets, int spreadWidth) {
        long[] cumulative = new long[spreadWidth];
        long sum = 0;
        for (int i = 0; i < spreadWidth; i++) {
            sum += sets[i].backend().weight();
            cumulative[i] = sum;
        }
        return new ClaimOrder<>(sets, spreadWidth, cumulative);
    }

    /**
     * The index of the backend a claim starts at, from a random int: drawn by weight among the
     * first {@code spreadWidth} (a weight-0 backend is never the start while another has weight).
     */
    int start(int random) {
        int width = spreadWidth;
        if (width <= 1) {
            return 0;
        }
        long total = cumulativeWeights[width - 1];
        if (total == 0) {
            return Math.floorMod(random, width);
        }
        long draw = Math.floorMod((long) random, total);
        int at = Arrays.binarySearch(cumulativeWeights, draw + 1);
        return at >= 0 ? at : -at - 1;
    }
}
