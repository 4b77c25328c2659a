package dev.qorb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qorb.testing.MutableResolver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Claims go to the backends of a priority in proportion to their SRV weights (RFC 2782) while
 * they have idle connections. The connector has no recycle check, so a released connection is
 * idle again at once and every claim is a draw by weight.
 */
class WeightedClaimsTest {

    private static Backend weighted(int port, int weight) {
        return new Backend(new InetSocketAddress("127.0.0.1", port), 0, weight);
    }

    private static Map<Integer, Integer> claimsByPort(Pool<Object> pool, int claims) {
        Map<Integer, Integer> byPort = new HashMap<>();
        for (int i = 0; i < claims; i++) {
            try (Handle<Object> h = pool.claim()) {
                byPort.merge(h.backend().address().getPort(), 1, Integer::sum);
            }
        }
        return byPort;
    }

    @Test
    void sequentialClaimsFollowWeightsWithinFivePoints() {
        MutableResolver resolver = new MutableResolver()
                .add(weighted(7001, 60)).add(weighted(7002, 30)).add(weighted(7003, 10));
        try (Pool<Object> pool = Pool.<Object>builder("weights", backend -> new Object()).resolver(resolver).build()) {
            await().until(() -> pool.stats().backends().values().stream().allMatch(b -> b.unclaimed() > 0));
            Map<Integer, Integer> byPort = claimsByPort(pool, 30_000);
            assertThat(byPort.get(7001) / 300.0).isBetween(55.0, 65.0);
            assertThat(byPort.get(7002) / 300.0).isBetween(25.0, 35.0);
            assertThat(byPort.get(7003) / 300.0).isBetween(5.0, 15.0);
        }
    }

    @Test
    void aWeightChangedInTheResolverChangesTheSharesAndKeepsTheConnections() {
        MutableResolver resolver = new MutableResolver().add(weighted(7001, 50)).add(weighted(7002, 50));
        try (Pool<Object> pool = Pool.<Object>builder("reweigh", backend -> new Object()).resolver(resolver)
                .policy(Policy.builder().rebalanceInterval(Duration.ofMillis(50)).build()).build()) {
            await().until(() -> pool.stats().backends().values().stream().allMatch(b -> b.unclaimed() > 0));
            assertThat(claimsByPort(pool, 10_000).get(7001) / 100.0).isBetween(45.0, 55.0);
            int connectedBefore = pool.stats().slots();
            resolver.add(weighted(7001, 90)).add(weighted(7002, 10));
            await().until(() -> pool.stats().backends().get("127.0.0.1:7001").backend().weight() == 90);
            assertThat(claimsByPort(pool, 10_000).get(7001) / 100.0).isBetween(85.0, 95.0);
            assertThat(pool.stats().backendsOnline()).isEqualTo(2);
            assertThat(pool.stats().slots()).isGreaterThanOrEqualTo(connectedBefore);
        }
    }

    @Test
    void weightZeroServesOnlyWhenTheOthersHaveNoIdleConnection() {
        MutableResolver resolver = new MutableResolver().add(weighted(7001, 10)).add(weighted(7002, 0));
        try (Pool<Object> pool = Pool.<Object>builder("weight-zero", backend -> new Object()).resolver(resolver).build()) {
            await().until(() -> pool.stats().backends().values().stream().allMatch(b -> b.unclaimed() > 0));
            assertThat(claimsByPort(pool, 2_000)).containsOnlyKeys(7001);
        }
    }
}
