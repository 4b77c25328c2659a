package dev.qorb.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The claimer's bounded call: expired only when late, and the watchdog's interrupt never outlives the call. */
class AcquireWatchTest {

    @Test
    void aCallWithinItsBoundIsNotExpired() {
        AcquireWatch watch = new AcquireWatch();
        watch.begin(1_000);
        assertThat(watch.expireIfLate(999, () -> { })).isFalse();
        assertThat(watch.end()).isTrue();
        assertThat(watch.expireIfLate(5_000, () -> { })).isFalse();
    }

    @Test
    void aLateCallIsInterruptedOnceAndTheFlagIsClearedWhenItEnds() {
        AcquireWatch watch = new AcquireWatch();
        AtomicBoolean expired = new AtomicBoolean();
        watch.begin(1_000);
        assertThat(watch.expireIfLate(1_000, () -> expired.set(true))).isTrue();
        assertThat(expired).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(watch.expireIfLate(2_000, () -> { })).isFalse();
        assertThat(watch.end()).isFalse();
        assertThat(Thread.interrupted()).isFalse();
    }
}
