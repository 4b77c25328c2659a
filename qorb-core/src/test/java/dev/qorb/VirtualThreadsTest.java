package dev.qorb;

import static dev.qorb.testing.FaultyConnector.Hook.CLOSE;
import static dev.qorb.testing.FaultyConnector.Hook.CONNECT;
import static dev.qorb.testing.FaultyConnector.Hook.IS_VALID;
import static dev.qorb.testing.FaultyConnector.Hook.ON_RECYCLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.qorb.resolver.FixedResolver;
import dev.qorb.testing.FaultyConnector;
import dev.qorb.testing.FaultyConnector.Conn;
import dev.qorb.testing.FaultyConnector.Hook;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code Pool.Builder.virtualThreads()}: connector calls on virtual threads on Java 21 and
 * later, and a clear refusal before. Issue 9. One test for both, so that it runs on every JVM.
 */
class VirtualThreadsTest {

    private static final Backend A = Backend.of("127.0.0.1", 7001);

    @Test
    void backgroundConnectorCallsRunOnVirtualThreadsFromJava21AndBeforeItTheBuilderSaysWhy() throws Exception {
        FaultyConnector connector = new FaultyConnector();
        if (Runtime.version().feature() < 21) {
            assertThatThrownBy(() -> Pool.builder("virtual", connector).virtualThreads())
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("virtual threads need Java 21 or later")
                    .hasMessageContaining("this JVM is Java " + Runtime.version().feature());
            return;
        }
        Pool<Conn> pool = Pool.builder("virtual", connector).resolver(FixedResolver.of(A)).virtualThreads()
                .policy(Policy.builder().maxSlots(2).sparesWanted(2)
                        .backend(b -> b.healthInterval(Duration.ofMillis(20)).noAliveCheck()).build())
                .build();
        try {
            await().until(() -> connector.calls(IS_VALID) >= 2);
            pool.claim(Duration.ofSeconds(5)).close();
            await().until(() -> connector.calls(ON_RECYCLE) >= 1);
        } finally {
            pool.close();
        }
        assertThat(pool.awaitTermination(Duration.ofSeconds(5))).isTrue();

        // onRecycle runs in the thread that closes the handle (here the test's own), not in the background.
        for (Hook hook : List.of(CONNECT, IS_VALID, CLOSE)) {
            assertThat(connector.threads(hook)).as("threads that ran %s", hook).isNotEmpty()
                    .allMatch(VirtualThreadsTest::isVirtual);
        }
    }

    /** {@code Thread.isVirtual()}, which this Java 17 build cannot call directly. */
    private static boolean isVirtual(Thread thread) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Thread.isVirtual() is missing on Java 21+", e);
        }
    }
}
