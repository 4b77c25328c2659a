package dev.qorb.pool;

import dev.qorb.BackendPolicy;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: {@code minBackoff} doubling with each failure in a row up to
 * {@code maxBackoff}, moved by a random ±20 % and a random spread in {@code [0, spread)} so
 * that slots failing together do not retry together.
 *
 * <p>Thread-safety: immutable; the random source is passed in and must be safe for the
 * calling thread.
 */
final class Backoff {

    private final long minNanos;
    private final long maxNanos;
    private final long spreadNanos;

    Backoff(BackendPolicy policy) {
        this.minNanos = policy.minBackoff().toNanos();
        this.maxNanos = policy.maxBackoff().toNanos();
        this.spreadNanos = policy.spread().toNanos();
    }

    /**
     * The delay before the next attempt after {@code failuresInARow} failures (1 or more): the
     * doubled delay moved by a random ±20 % of itself (as gRPC does, so that clients that failed
     * together do not retry together even at long delays), at most {@code maxBackoff}, plus the
     * spread.
     */
    long delayNanos(int failuresInARow, RandomGenerator random) {
        if (failuresInARow < 1) {
            throw new IllegalArgumentException("failuresInARow must be at least 1 but was " + failuresInARow);
        }
        int doublings = Math.min(failuresInARow - 1, 62);
        long base = minNanos > (maxNanos >> doublings) ? maxNanos : Math.min(maxNanos, minNanos << doublings);
        long fifth = base / 5;
        long jittered = fifth == 0 ? base : Math.min(maxNanos, base - fifth + random.nextLong(2 * fifth));
        return jittered + spreadNanos(random);
    }

    /** A random extra delay in {@code [0, spread)}. */
    long spreadNanos(RandomGenerator random) {
        return spreadNanos == 0 ? 0 : random.nextLong(spreadNanos);
    }
}
