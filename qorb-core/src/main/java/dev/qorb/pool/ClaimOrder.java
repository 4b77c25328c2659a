package dev.qorb.pool;

/**
 * The order in which claims look at backends, published by the rebalancer as one immutable
 * snapshot so that a claim reads it with one volatile read.
 *
 * @param sets the backends that may lend, most preferred first
 * @param spreadWidth how many leading backends are equally good (online, with the fewest
 *     recent failures): claims start at a random one of them, so load spreads over them
 *     instead of piling onto the first
 * @param <C> the connection type
 */
record ClaimOrder<C>(SlotSet<C>[] sets, int spreadWidth) {

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final ClaimOrder<?> EMPTY = new ClaimOrder<>(new SlotSet[0], 0);

    @SuppressWarnings("unchecked")
    static <C> ClaimOrder<C> empty() {
        return (ClaimOrder<C>) EMPTY;
    }
}
