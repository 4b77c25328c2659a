package dev.qorb.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qorb.BackendPolicy;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    /** A random source that always answers the same fraction of the bound. */
    private static RandomGenerator fixed(double fraction) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public long nextLong(long bound) {
                return (long) (bound * fraction);
            }
        };
    }

    private final Backoff backoff = new Backoff(BackendPolicy.builder().minBackoff(Duration.ofMillis(20))
            .maxBackoff(Duration.ofSeconds(30)).spread(Duration.ofMillis(20)).build());

    @Test
    void delaysDoubleFromMinToMaxEachMovedByUpToTwentyPercent() {
        RandomGenerator lowest = fixed(0);
        assertThat(backoff.delayNanos(1, lowest)).isEqualTo(Duration.ofMillis(16).toNanos());
        assertThat(backoff.delayNanos(2, lowest)).isEqualTo(Duration.ofMillis(32).toNanos());
        assertThat(backoff.delayNanos(5, lowest)).isEqualTo(Duration.ofMillis(256).toNanos());
        assertThat(backoff.delayNanos(11, lowest)).isEqualTo(Duration.ofMillis(16384).toNanos());
        assertThat(backoff.delayNanos(12, lowest)).isEqualTo(Duration.ofSeconds(24).toNanos());
        assertThat(backoff.delayNanos(1000, lowest)).isEqualTo(Duration.ofSeconds(24).toNanos());
    }

    @Test
    void theSpreadIsProportionalAtLongDelaysAndNeverPastMax() {
        // At 30 s the random part spans 24 s to 30 s, not only the fixed 20 ms spread.
        assertThat(backoff.delayNanos(12, fixed(0.25))).isEqualTo(Duration.ofSeconds(27).toNanos()
                + Duration.ofMillis(5).toNanos());
        assertThat(backoff.delayNanos(1, fixed(0.5))).isEqualTo(Duration.ofMillis(30).toNanos());
        assertThat(backoff.delayNanos(12, fixed(0.999))).isEqualTo(Duration.ofSeconds(30).toNanos()
                + (long) (Duration.ofMillis(20).toNanos() * 0.999));
        assertThat(backoff.spreadNanos(fixed(0.25))).isEqualTo(Duration.ofMillis(5).toNanos());
    }

    @Test
    void noSpreadMeansNoRandomness() {
        Backoff exact = new Backoff(BackendPolicy.builder().spread(Duration.ZERO).build());
        assertThat(exact.spreadNanos(fixed(0.9))).isZero();
    }

    @Test
    void zeroFailuresIsAMistake() {
        assertThatThrownBy(() -> backoff.delayNanos(0, fixed(0))).isInstanceOf(IllegalArgumentException.class);
    }
}
