package dev.qorb.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qorb.Backend;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.testing.MutableResolver;
import dev.qorb.testing.ScriptedConnector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No thread per slot: background threads stay few, whatever the number of pools, backends and slots. */
class ThreadModelTest {

    @Test
    void twentyPoolsOfSixteenSlotsOverManyBackendsShareAFewThreads() {
        List<Pool<?>> pools = new ArrayList<>();
        try {
            for (int p = 0; p < 20; p++) {
                MutableResolver resolver = new MutableResolver();
                for (int b = 0; b < 10; b++) {
                    resolver.add(Backend.of("127.0.0.1", 7000 + b));
                }
                pools.add(Pool.builder("pool-" + p, new ScriptedConnector()).resolver(resolver)
                        .policy(Policy.builder().maxSlots(16).sparesWanted(16)
                                .backend(b -> b.healthInterval(Duration.ofMillis(50))).build())
                        .build());
            }
            await().until(() -> pools.stream().allMatch(p -> p.stats().unclaimed() == 16));
            long qorbThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("qorb-")).count();
            // The scheduler, the workers, and the DNS resolvers' thread if a DNS test ran in this JVM.
            assertThat(qorbThreads).isLessThanOrEqualTo(1 + SharedExecutors.WORKER_THREADS + 1);
        } finally {
            pools.forEach(Pool::close);
        }
    }
}
