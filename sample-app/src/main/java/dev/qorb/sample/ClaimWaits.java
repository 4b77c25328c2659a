package dev.qorb.sample;

import java.time.Duration;
import java.util.Arrays;

/**
 * How long the recent claims of one pool waited, as the claimers measured them: the last
 * {@value #CAPACITY} claims (served or failed) within a window, for the page's p50 and p99.
 *
 * <p>Thread-safety: every claimer records and the page reads; both hold this object's lock for
 * a few array writes or one copy, never around anything that blocks.
 */
final class ClaimWaits {

    static final int CAPACITY = 4096;

    /**
     * Claim waits in a recent window.
     *
     * @param claims claims in the window
     * @param p50Millis the median wait, 0 without claims
     * @param p99Millis the 99th percentile wait, 0 without claims
     */
    record Summary(int claims, double p50Millis, double p99Millis) {
    }

    private final long[] endedAt = new long[CAPACITY];
    private final long[] waited = new long[CAPACITY];
    /** Where the next claim goes; the ring holds {@code size} claims before it. */
    private int next;
    private int size;

    /** Records one claim that started at {@code startNanos} and ended at {@code endNanos}. */
    synchronized void record(long startNanos, long endNanos) {
        endedAt[next] = endNanos;
        waited[next] = endNanos - startNanos;
        next = (next + 1) % CAPACITY;
        size = Math.min(size + 1, CAPACITY);
    }

    /** The claims that ended in the {@code window} before {@code nowNanos}. */
    Summary summary(long nowNanos, Duration window) {
        long[] recent = new long[CAPACITY];
        int count = 0;
        synchronized (this) {
            for (int i = 0; i < size; i++) {
                int slot = Math.floorMod(next - 1 - i, CAPACITY);
                if (nowNanos - endedAt[slot] > window.toNanos()) {
                    break; // older from here on
                }
                recent[count++] = waited[slot];
            }
        }
        if (count == 0) {
            return new Summary(0, 0, 0);
        }
        long[] sorted = Arrays.copyOf(recent, count);
        Arrays.sort(sorted);
        return new Summary(count, millis(percentile(sorted, 0.50)), millis(percentile(sorted, 0.99)));
    }

    /** Nearest rank: the smallest wait that at least {@code fraction} of the claims did not exceed. */
    private static long percentile(long[] sorted, double fraction) {
        return sorted[(int) Math.ceil(fraction * sorted.length) - 1];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
