package dev.qorb;

import static org.assertj.core.api.Assertions.assertThat;
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
                .hasMessageContaining("you most likely kept using the connection after giving it back");
        assertThat(handle.backend()).isEqualTo(Backend.of("127.0.0.1", 7001));
    }

    @Test
    void givingBackTwiceIsQuietAndReturnsTheConnectionOnce() {
        Handle<Conn> handle = pool.claim();
        handle.close();
        handle.close();
        handle.invalidate();

        // The connection went back once and was not invalidated: one claim can have it, a second must wait.
        Handle<Conn> next = pool.claim();
        assertThat(next.get().closed()).isFalse();
        assertThatThrownBy(() -> pool.claim(Duration.ofMillis(50))).isInstanceOfSatisfying(ClaimException.class,
                e -> assertThat(e.kind()).isEqualTo(ClaimException.Kind.ALL_CLAIMS_USED));
        next.close();
    }

    @Test
    void closeAfterInvalidateInTryWithResourcesIsQuiet() {
        Conn broken;
        try (Handle<Conn> handle = pool.claim()) {
            broken = handle.get();
            handle.invalidate();
        }
        await().until(broken::closed);
        try (Handle<Conn> next = pool.claim()) {
            assertThat(next.get()).isNotSameAs(broken);
        }
    }

    @Test
    void invalidateClosesTheConnectionAndTheSlotReconnects() {
        Handle<Conn> handle = pool.claim();
        Conn broken = handle.get();
        handle.invalidate();
        await().until(broken::closed);
        try (Handle<Conn> next = pool.claim()) {
            assertThat(next.get()).isNotSameAs(broken);
        }
        assertThat(connector.connects.get()).isEqualTo(2);
    }

    @Test
    void poolCloseIsIdempotent() throws InterruptedException {
        pool.close();
        pool.close();
        assertThat(pool.awaitTermination(Duration.ofSeconds(5))).isTrue();
    }
}
