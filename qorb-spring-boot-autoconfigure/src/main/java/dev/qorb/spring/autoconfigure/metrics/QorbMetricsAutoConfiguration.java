package dev.qorb.spring.autoconfigure.metrics;

import dev.qorb.Pool;
import dev.qorb.metrics.MetricsTrackerFactory;
import dev.qorb.spring.autoconfigure.ConditionalOnQorbEnabled;
import dev.qorb.spring.autoconfigure.QorbAutoConfiguration;
import dev.qorb.spring.autoconfigure.QorbProperties;
import dev.qorb.spring.metrics.QorbMicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Each pool's Micrometer meters, through the pool's metrics tracker, when a MeterRegistry bean exists. */
@AutoConfiguration(after = QorbAutoConfiguration.class, afterName =
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({Pool.class, MeterRegistry.class})
@ConditionalOnQorbEnabled
public final class QorbMetricsAutoConfiguration {

    @Bean
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnMissingBean(MetricsTrackerFactory.class)
    QorbMicrometerMetrics qorbMicrometerMetrics(MeterRegistry registry, QorbProperties properties) {
        QorbProperties.Metrics metrics = properties.getMetrics();
        return new QorbMicrometerMetrics(registry, metrics.isClaimWaitHistogram(),
                metrics.isBackendTags() ? metrics.getMaxTaggedBackends() : 0);
    }
}
