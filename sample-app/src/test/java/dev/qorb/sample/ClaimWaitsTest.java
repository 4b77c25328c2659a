package dev.qorb.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClaimWaitsTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void percentilesAreTheNearestRankOfTheClaimsInTheWindow() {
        ClaimWaits waits = new ClaimWaits();
        long now = 100 * SECOND;
        // 100 claims that waited 1..100 ms, all ending in the last second.
        for (int i = 1; i <= 100; i++) {
            waits.record(now - i * MILLI, now);
        }
        ClaimWaits.Summary summary = waits.summary(now, Duration.ofSeconds(10));
        assertThat(summary.claims()).isEqualTo(100);
        assertThat(summary.p50Millis()).isEqualTo(50.0);
        assertThat(summary.p99Millis()).isEqualTo(99.0);
    }

    @Test
    void claimsOlderThanTheWindowAreLeftOut() {
        ClaimWaits waits = new ClaimWaits();
        waits.record(0, 2000 * MILLI);                       // a 2 s wait, ending at 2 s
        waits.record(19 * SECOND, 19 * SECOND + MILLI);      // a 1 ms wait, ending at 19 s
        assertThat(waits.summary(20 * SECOND, Duration.ofSeconds(10)))
                .isEqualTo(new ClaimWaits.Summary(1, 1.0, 1.0));
        assertThat(waits.summary(100 * SECOND, Duration.ofSeconds(10)))
                .isEqualTo(new ClaimWaits.Summary(0, 0, 0));
    }

    @Test
    void theRingKeepsTheLatestClaims() {
        ClaimWaits waits = new ClaimWaits();
        long now = 100 * SECOND;
        for (int i = 0; i < ClaimWaits.CAPACITY; i++) {
            waits.record(now - SECOND, now);                 // old slow claims, pushed out below
        }
        for (int i = 0; i < ClaimWaits.CAPACITY; i++) {
            waits.record(now - MILLI, now);
        }
        assertThat(waits.summary(now, Duration.ofSeconds(10)))
                .isEqualTo(new ClaimWaits.Summary(ClaimWaits.CAPACITY, 1.0, 1.0));
    }
}
