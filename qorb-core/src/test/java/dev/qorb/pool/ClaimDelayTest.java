package dev.qorb.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * CoDel over the claim queue, step by step on explicit times: which waiters are shed as the
 * queue delay stays above the target, and when shedding stops.
 */
class ClaimDelayTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long TARGET = 5 * MS;
    private static final long START = 1_000_000 * MS; // nanoTime has an arbitrary origin

    private final ClaimDelay delay = new ClaimDelay(TARGET);

    /** One connection comes free at {@code at} and meets waiters of these sojourns: how many are shed before one is served. */
    private int shedBeforeServing(long at, long... sojourns) {
        ClaimDelay.Round round = delay.round(START + at);
        for (int i = 0; i < sojourns.length; i++) {
            if (!round.shed(sojourns[i])) {
                return i;
            }
        }
        return sojourns.length;
    }

    @Test
    void aBurstShorterThanTheIntervalIsNeverShed() {
        for (long t = 0; t < 100 * MS; t += 10 * MS) {
            assertThat(shedBeforeServing(t, 50 * MS, 50 * MS)).isZero();
        }
        // Below target once: the delay above it is forgotten, and the next burst starts afresh.
        assertThat(shedBeforeServing(100 * MS, MS)).isZero();
        for (long t = 110 * MS; t < 300 * MS; t += 10 * MS) {
            assertThat(shedBeforeServing(t, 50 * MS)).isZero();
        }
    }

    @Test
    void aStandingQueueIsShedMoreAndMoreOftenUntilTheDelayFalls() {
        long above = 20 * MS;
        // t=0: first above target, noted as 0 + interval.
        assertThat(shedBeforeServing(0, above)).isZero();
        // t=100: above for an interval (ok to drop), but CoDel enters dropping an interval later.
        assertThat(shedBeforeServing(100 * MS, above)).isZero();
        // t=200: shed one and enter dropping; the next waiter of this round is served. Next drop at 300.
        assertThat(shedBeforeServing(200 * MS, above, above, above)).isEqualTo(1);
        assertThat(shedBeforeServing(250 * MS, above)).isZero();
        // t=300: shed (count 2); the next drop is due 100/sqrt(2) = 70.7 ms after 300.
        assertThat(shedBeforeServing(300 * MS, above, above)).isEqualTo(1);
        assertThat(shedBeforeServing(370 * MS, above)).isZero();
        assertThat(shedBeforeServing(371 * MS, above, above)).isEqualTo(1);
        // count 3: due 57.7 ms after 370.7, at 428.4.
        assertThat(shedBeforeServing(428 * MS, above)).isZero();
        // Long after the due time, several drops are due at once: the while loop sheds until one is not.
        // count 4 due at 428.4; then 478.4 (+50), 523.1 (+44.7), 563.9 (+40.8).
        assertThat(shedBeforeServing(530 * MS, above, above, above, above, above)).isEqualTo(3);
        // A waiter below target ends the dropping and is served, and the next above-target one is not shed.
        assertThat(shedBeforeServing(600 * MS, MS)).isZero();
        assertThat(shedBeforeServing(601 * MS, above, above)).isZero();
    }

    @Test
    void reenteringSoonAfterLeavingResumesTheDropRate() {
        long above = 20 * MS;
        shedBeforeServing(0, above);
        assertThat(shedBeforeServing(200 * MS, above)).isEqualTo(1); // count 1, next at 300
        assertThat(shedBeforeServing(300 * MS, above, above)).isEqualTo(1); // count 2, next at 370.7
        assertThat(shedBeforeServing(371 * MS, above, above)).isEqualTo(1); // count 3, next at 428.4
        assertThat(shedBeforeServing(429 * MS, above, above)).isEqualTo(1); // count 4, next at 478.4
        assertThat(shedBeforeServing(430 * MS, MS)).isZero(); // leaves dropping
        // Above again: ok to drop an interval later, at 540. Within an interval of the last drop time
        // (478.4) CoDel re-enters at once instead of waiting a second interval, with count 4 - 2 = 2.
        assertThat(shedBeforeServing(440 * MS, above)).isZero();
        assertThat(shedBeforeServing(539 * MS, above)).isZero();
        assertThat(shedBeforeServing(540 * MS, above, above)).isEqualTo(1); // next due 100/sqrt(2) on, at 610.7
        assertThat(shedBeforeServing(610 * MS, above)).isZero();
        assertThat(shedBeforeServing(611 * MS, above, above)).isEqualTo(1);
    }

    @Test
    void aConnectionComingFreeToAnEmptyQueueForgetsTheDelay() {
        long above = 20 * MS;
        shedBeforeServing(0, above);
        delay.queueEmpty();
        // Without the empty queue, t=200 would shed; now the delay counts as above only from 150.
        assertThat(shedBeforeServing(150 * MS, above)).isZero();
        assertThat(shedBeforeServing(200 * MS, above)).isZero();
        assertThat(shedBeforeServing(349 * MS, above)).isZero();
        assertThat(shedBeforeServing(350 * MS, above)).isEqualTo(1);
    }

    @Test
    void aClaimWaitsAtMostTenTimesTheTargetOrThreeTimesWhileOverloaded() {
        assertThat(delay.maxWaitNanos(START)).isEqualTo(10 * TARGET);
        assertThat(delay.maxWaitNanos(START + 10 * TARGET)).isEqualTo(10 * TARGET);
        // No connection came free to an empty queue for more than ten times the target: overloaded.
        assertThat(delay.maxWaitNanos(START + 10 * TARGET + 1)).isEqualTo(3 * TARGET);
        delay.queueEmpty();
        assertThat(delay.maxWaitNanos(START + 20 * TARGET)).isEqualTo(10 * TARGET);
        assertThat(delay.maxWaitNanos(START + 30 * TARGET + 1)).isEqualTo(3 * TARGET);
    }

    @Test
    void aHugeTargetDoesNotOverflowTheBound() {
        ClaimDelay huge = new ClaimDelay(Long.MAX_VALUE / 2);
        assertThat(huge.maxWaitNanos(START)).isPositive();
    }
}
