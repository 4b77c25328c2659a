package dev.qorb.spring.autoconfigure.observation;

import dev.qorb.Pool;
import dev.qorb.spring.autoconfigure.ConditionalOnQorbEnabled;
import dev.qorb.spring.autoconfigure.QorbAutoConfiguration;
import dev.qorb.spring.observation.ObservedClaimsDecorator;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * An Observation named {@code qorb.claim} around each claim, with {@code qorb.observation.enabled}
 * and an ObservationRegistry bean. Off by default: an Observation per claim costs several times
 * the claim itself.
 */
@AutoConfiguration(after = QorbAutoConfiguration.class, afterName =
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({Pool.class, ObservationRegistry.class})
@ConditionalOnQorbEnabled
@ConditionalOnBooleanProperty("qorb.observation.enabled")
public final class QorbObservationAutoConfiguration {

    @Bean
    @ConditionalOnBean(ObservationRegistry.class)
    @ConditionalOnMissingBean
    ObservedClaimsDecorator qorbObservedClaimsDecorator(ObservationRegistry registry) {
        return new ObservedClaimsDecorator(registry);
    }
}
