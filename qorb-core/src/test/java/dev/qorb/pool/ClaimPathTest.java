package dev.qorb.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qorb.Backend;
import dev.qorb.Handle;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.testing.MutableResolver;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fast path's two shortcuts keep their promises: the slot a thread claimed last is tried
 * first but never kept from others, and claims counted in the slots add up exactly, also
 * after the slots ended.
 */
class ClaimPathTest {

    private static final Backend BACKEND = Backend.of("127.0.0.1", 7001);

    private final ExecutorService others = Executors.newSingleThreadExecutor();
    private final MutableResolver resolver = new MutableResolver().add(BACKEND);
    private final Pool<Object> pool = Pool.<Object>builder("hint", backend -> new Object()).resolver(resolver)
            .policy(Policy.builder().maxSlots(1).sparesWanted(1).claimTimeout(Duration.ofSeconds(10)).build())
            .build();

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.close();
        others.shutdownNow();
        assertThat(others.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theSlotAThreadReleasedIsItsNextClaimsButStaysIdleForEveryone() throws Exception {
        await().until(() -> pool.stats().unclaimed() == 1);
        Object connection;
        try (Handle<Object> mine = pool.claim()) {
            connection = mine.get();
        }
        // The only slot is this thread's hint, and idle: another thread takes it at once.
        Future<Object> other = others.submit(() -> {
            try (Handle<Object> theirs = pool.claim(Duration.ZERO)) {
                return theirs.get();
            }
        });
        assertThat(other.get(10, TimeUnit.SECONDS)).isSameAs(connection);
        try (Handle<Object> again = pool.claim()) {
            assertThat(again.get()).isSameAs(connection);
        }
    }

    @Test
    void claimsCountedInTheSlotsAddUpAfterTheSlotsEnded() {
        await().until(() -> pool.stats().unclaimed() == 1);
        for (int i = 0; i < 1_000; i++) {
            pool.claim().close();
        }
        assertThat(pool.stats().claims()).isEqualTo(1_000);
        assertThat(pool.stats().backends().get(BACKEND.toString()).claims()).isEqualTo(1_000);

        // The backend goes and its slot ends: the pool still counts its claims, once.
        resolver.remove(BACKEND);
        await().until(() -> pool.stats().backends().isEmpty() && pool.stats().slots() == 0);
        assertThat(pool.stats().claims()).isEqualTo(1_000);
        resolver.add(BACKEND);
        await().until(() -> pool.stats().unclaimed() == 1);
        pool.claim().close();
        assertThat(pool.stats().claims()).isEqualTo(1_001);
        assertThat(pool.stats().backends().get(BACKEND.toString()).claims()).isEqualTo(1);
    }
}
