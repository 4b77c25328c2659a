package dev.qorb.spring.autoconfigure.metrics;

import dev.qorb.Pool;
import dev.qorb.spring.autoconfigure.QorbAutoConfiguration;
import dev.qorb.spring.autoconfigure.QorbProperties;
import dev.qorb.spring.metrics.ClaimTimingDecorator;
import dev.qorb.spring.metrics.QorbPoolMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Pool gauges and counters, and the claim wait timer, when Micrometer is present. */
@AutoConfiguration(after = QorbAutoConfiguration.class, afterName =
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({Pool.class, MeterBinder.class})
public final class QorbMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    QorbPoolMetrics qorbPoolMetrics(ObjectProvider<Pool<?>> pools) {
        return new QorbPoolMetrics(() -> pools.orderedStream().toList());
    }

    @Bean
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnMissingBean
    ClaimTimingDecorator qorbClaimTimingDecorator(MeterRegistry registry, QorbProperties properties) {
        return new ClaimTimingDecorator(registry, properties.getMetrics().isClaimWaitHistogram());
    }
}
