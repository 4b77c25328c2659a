package dev.qorb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyTest {

    @Test
    void defaultsAreQorbs() {
        Policy policy = Policy.defaults();
        assertThat(policy.sparesWanted()).isEqualTo(8);
        assertThat(policy.maxSlots()).isEqualTo(16);
        assertThat(policy.rebalanceInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.claimTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.leakDetectionThreshold()).isEmpty();
        assertThat(policy.maxWaiters()).isEqualTo(Integer.MAX_VALUE);
        assertThat(policy.targetClaimDelay()).isEmpty();
        assertThat(policy.failOnNoBackends()).isFalse();
        BackendPolicy backend = policy.backend();
        assertThat(backend.maxSlots()).isEqualTo(16);
        assertThat(backend.minBackoff()).isEqualTo(Duration.ofMillis(20));
        assertThat(backend.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(backend.spread()).isEqualTo(Duration.ofMillis(20));
        assertThat(backend.healthInterval()).contains(Duration.ofSeconds(30));
        assertThat(backend.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(backend.failureWindow()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void everyInvalidValueIsRejectedNamingTheField() {
        assertThatThrownBy(() -> Policy.builder().sparesWanted(-1).build())
                .hasMessage("sparesWanted must be at least 0 but was -1");
        assertThatThrownBy(() -> Policy.builder().maxSlots(0).build())
                .hasMessage("maxSlots must be at least 1 but was 0");
        assertThatThrownBy(() -> Policy.builder().claimTimeout(Duration.ofSeconds(-1)).build())
                .hasMessage("claimTimeout must not be negative but was PT-1S");
        assertThatThrownBy(() -> Policy.builder().rebalanceInterval(Duration.ZERO).build())
                .hasMessage("rebalanceInterval must be positive but was 0");
        assertThatThrownBy(() -> Policy.builder().leakDetectionThreshold(Duration.ZERO))
                .hasMessage("leakDetectionThreshold must be positive but was 0");
        assertThatThrownBy(() -> Policy.builder().backend(b -> b.maxSlots(0)))
                .hasMessage("backend.maxSlots must be at least 1 but was 0");
        assertThatThrownBy(() -> Policy.builder().backend(b -> b.minBackoff(Duration.ofSeconds(2))
                .maxBackoff(Duration.ofSeconds(1)))).hasMessage(
                        "backend.maxBackoff (PT1S) must not be less than backend.minBackoff (PT2S)");
        assertThatThrownBy(() -> Policy.builder().backend(b -> b.spread(Duration.ofMillis(-5))))
                .hasMessage("backend.spread must not be negative but was PT-0.005S");
        assertThatThrownBy(() -> Policy.builder().backend(b -> b.healthCheckTimeout(null)))
                .hasMessage("backend.healthCheckTimeout must not be null");
        assertThatThrownBy(() -> BackendPolicy.builder().healthInterval(Duration.ZERO))
                .hasMessage("backend.healthInterval must be positive but was 0");
        assertThatThrownBy(() -> new BackendPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO,
                null, Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty(), Duration.ofMinutes(1), 5,
                Optional.empty()))
                .hasMessageContaining("backend.healthInterval");
        assertThatThrownBy(() -> Policy.builder().maxConnectorCalls(0).build())
                .hasMessage("maxConnectorCalls must be at least 1 but was 0");
        assertThatThrownBy(() -> Policy.builder().maxWaiters(-1).build())
                .hasMessage("maxWaiters must be at least 0 but was -1");
        assertThatThrownBy(() -> Policy.builder().targetClaimDelay(Duration.ZERO))
                .hasMessage("targetClaimDelay must be positive but was 0");
        assertThatThrownBy(() -> Policy.builder().targetClaimDelay(Duration.ofMillis(-1)))
                .hasMessage("targetClaimDelay must not be negative but was PT-0.001S");
        assertThatThrownBy(() -> Policy.builder().targetClaimDelay(null))
                .hasMessage("targetClaimDelay must not be null");
        assertThatThrownBy(() -> Policy.builder().backend(b -> b.aliveBypassWindow(Duration.ofMillis(-1))))
                .hasMessage("backend.aliveBypassWindow must not be negative but was PT-0.001S");
    }

    @Test
    void neverIsExpressibleForHealthChecks() {
        assertThat(BackendPolicy.builder().noHealthChecks().build().healthInterval()).isEqualTo(Optional.empty());
    }

    @Test
    void toBuilderKeepsEveryValue() {
        Policy policy = Policy.builder().sparesWanted(2).maxSlots(3).claimTimeout(Duration.ofSeconds(1))
                .leakDetectionThreshold(Duration.ofSeconds(9)).maxWaiters(7).targetClaimDelay(Duration.ofMillis(40))
                .failOnNoBackends(true).backend(b -> b.maxSlots(2).noHealthChecks()).build();
        assertThat(policy.toBuilder().build()).isEqualTo(policy);
    }
}
