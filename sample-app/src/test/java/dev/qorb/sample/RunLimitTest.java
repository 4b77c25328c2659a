package dev.qorb.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The app stops by itself after {@code qorb-sample.run-for}, as the README says. */
class RunLimitTest {

    @Test
    void theAppStopsByItselfAfterItsRunTime() {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(SampleApplication.class)
                .run("--server.port=0", "--qorb-sample.run-for=2s", "--spring.main.banner-mode=off");
        try {
            Workload workload = app.getBean(Workload.class);
            assertThat(workload.isRunning()).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> !app.isActive());
            assertThat(workload.isRunning()).isFalse();
        } finally {
            app.close();
        }
    }
}
