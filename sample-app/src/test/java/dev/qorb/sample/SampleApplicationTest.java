package dev.qorb.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qorb.Pool;
import dev.qorb.PoolState;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(properties = {"qorb-sample.crash-every=1s", "qorb-sample.run-for=60s",
        "qorb-sample.report-every=500ms"})
class SampleApplicationTest {

    @Autowired
    Pool<Socket> echoPool;

    @Autowired
    DemoWorkload workload;

    @Test
    void theWorkloadTalksToEveryBackendThroughThePoolAcrossACrash() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(echoPool.state()).isEqualTo(PoolState.RUNNING);
            assertThat(echoPool.stats().backends()).hasSize(3);
            assertThat(echoPool.stats().backends().values()).allSatisfy(b -> assertThat(b.claims()).isPositive());
        });
        // Backend 0 crashes within a second; claims keep being served by the others and it comes back.
        long before = workload.served();
        await().atMost(Duration.ofSeconds(30)).until(() -> workload.served() > before + 100);
        await().atMost(Duration.ofSeconds(30)).until(() -> echoPool.stats().backends().values().stream()
                .anyMatch(b -> b.recentFailures() > 0 || b.lastError().isPresent()));
    }
}
