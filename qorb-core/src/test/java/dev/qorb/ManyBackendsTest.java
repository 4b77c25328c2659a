package dev.qorb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qorb.testing.MutableResolver;
import dev.qorb.testing.ScriptedConnector;
import dev.qorb.testing.ScriptedConnector.Conn;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** More backends than slots: a stable subset, and nothing reconnects at rest. */
class ManyBackendsTest {

    private static MutableResolver backends(int count) {
        MutableResolver resolver = new MutableResolver();
        for (int i = 0; i < count; i++) {
            resolver.add(Backend.of("127.0.0.1", 10_000 + i));
        }
        return resolver;
    }

    private static Set<String> withSlots(Pool<?> pool) {
        Set<String> names = new HashSet<>();
        pool.stats().backends().forEach((name, stats) -> {
            if (stats.slots() > 0) {
                names.add(name);
            }
        });
        return names;
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 40, 1000})
    void atRestThePoolMakesNoConnects(int count) {
        ScriptedConnector connector = new ScriptedConnector();
        Policy policy = Policy.builder().rebalanceInterval(Duration.ofMillis(50)).build();
        try (Pool<Conn> pool = Pool.builder("many", connector).resolver(backends(count)).policy(policy).build()) {
            await().until(() -> pool.stats().unclaimed() == policy.maxSlots());
            Set<String> subset = withSlots(pool);
            int connects = connector.connects.get();
            // Held for a second over ~20 rebalances: not one connect, and the same subset.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> connector.connects.get() == connects);
            assertThat(withSlots(pool)).isEqualTo(subset).hasSize(policy.maxSlots());
        }
    }

    @Test
    void anOfflineMemberIsReplacedAndNothingElseMoves() {
        ScriptedConnector connector = new ScriptedConnector();
        MutableResolver resolver = backends(40);
        Policy policy = Policy.builder().rebalanceInterval(Duration.ofMillis(50)).build();
        try (Pool<Conn> pool = Pool.builder("replace", connector).resolver(resolver).policy(policy).build()) {
            await().until(() -> pool.stats().unclaimed() == policy.maxSlots());
            Set<String> before = withSlots(pool);
            String leaving = before.iterator().next();
            resolver.remove(pool.stats().backends().get(leaving).backend());
            await().until(() -> pool.stats().unclaimed() == policy.maxSlots() && !withSlots(pool).contains(leaving));
            Set<String> after = withSlots(pool);
            Set<String> kept = new HashSet<>(before);
            kept.remove(leaving);
            assertThat(after).containsAll(kept).hasSize(policy.maxSlots());
        }
    }
}
