package dev.qorb.pool;

/**
 * Weighted rendezvous hashing: a stable, per-pool score for each backend name, so that every
 * rebalance ranks the same backends the same way until membership or health changes, and
 * many pools (clients) with different seeds spread over different subsets of a large service.
 * A backend's chance of ranking ahead of another is in proportion to its weight; weight 0
 * ranks after every weighted backend.
 *
 * <p>Thread-safety: stateless.
 */
final class Rendezvous {

    private Rendezvous() {
    }

    /** Lower is preferred: {@code -ln(u) / weight} for a uniform {@code u} drawn from the seed and name. */
    static double score(long seed, String name, int weight) {
        if (weight == 0) {
            return Double.POSITIVE_INFINITY;
        }
        long h = seed;
        for (int i = 0; i < name.length(); i++) {
            h = mix(h ^ name.charAt(i));
        }
        // 53 random bits in (0, 1): never 0, so the logarithm is finite.
        double u = ((mix(h) >>> 11) + 1) * 0x1.0p-53;
        return -Math.log(u) / weight;
    }

    /** SplitMix64's finalizer: spreads every input bit over the output. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
