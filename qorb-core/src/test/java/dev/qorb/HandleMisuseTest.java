package dev.qorb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.qorb.testing.MutableResolver;
import dev.qorb.testing.ScriptedConnector;
import dev.qorb.testing.ScriptedConnector.Conn;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandleMisuseTest {

    private final ScriptedConnector connector = new ScriptedConnector();
    private final Pool<Conn> pool = Pool.builder("misuse", connector)
            .resolver(new MutableResolver().add(Backend.of("127.0.0.1", 7001)))
            .policy(Policy.builder().maxSlots(1).sparesWanted(1).build())
            .build();

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void useAfterCloseSaysWhatWentWrong() {
        Handle<Conn> handle = pool.claim();
        handle.close();
        assertThatThrownBy(handle::get).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pool 'misuse'")
                .hasMessageContaining("you most likely kept using the connection after closing the handle");
        assertThat(handle.backend()).isEqualTo(Backend.of("127.0.0.1", 7001));
    }

    /**
     * Issue 9, item 9: closing a handle already given back is a quiet no-op, as AutoCloseable
     * recommends; invalidate after close is still refused (the connection may be someone
     * else's by then). Neither gives the connection back a second time.
     */
    @Test
    void aSecondCloseIsQuietAndInvalidateAfterCloseIsRefusedWithoutHarmingThePool() {
        Handle<Conn> handle = pool.claim();
        handle.close();
        assertThatCode(handle::close).doesNotThrowAnyException();
        assertThatThrownBy(handle::invalidate).isInstanceOf(IllegalStateException.class);

        // The connection went back once: one claim can have it, a second must wait.
        Handle<Conn> next = pool.claim();
        assertThatThrownBy(() -> pool.claim(Duration.ofMillis(50))).isInstanceOfSatisfying(ClaimException.class,
                e -> assertThat(e.kind()).isEqualTo(ClaimException.Kind.ALL_CLAIMS_USED));
        next.close();
    }

    /**
     * Issue 9, item 9: the try-with-resources idiom that invalidates a broken connection
     * inside the block closes the handle again on the way out; that close is a no-op, and
     * the connection is replaced once.
     */
    @Test
    void invalidateInTryWithResourcesReplacesTheConnectionOnceAndTheCloseIsQuiet() {
        Conn broken;
        try (Handle<Conn> handle = pool.claim()) {
            broken = handle.get();
            handle.invalidate();
        }
        await().until(broken::closed);
        try (Handle<Conn> next = pool.claim()) {
            assertThat(next.get()).isNotSameAs(broken);
        }
        assertThat(connector.connects.get()).isEqualTo(2);
    }

    /** Issue 9, item 9: use after give-back still fails, saying what went wrong, after invalidate as after close. */
    @Test
    void useAfterInvalidateSaysWhatWentWrong() {
        Handle<Conn> handle = pool.claim();
        handle.invalidate();
        assertThatCode(handle::close).doesNotThrowAnyException();
        assertThatThrownBy(handle::get).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pool 'misuse'")
                .hasMessageContaining("you most likely kept using the connection after closing the handle");
    }

    @Test
    void poolCloseIsIdempotent() throws InterruptedException {
        pool.close();
        pool.close();
        assertThat(pool.awaitTermination(Duration.ofSeconds(5))).isTrue();
    }
}
