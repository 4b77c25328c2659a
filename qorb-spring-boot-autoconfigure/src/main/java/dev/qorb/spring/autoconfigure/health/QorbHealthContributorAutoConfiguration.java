package dev.qorb.spring.autoconfigure.health;

import dev.qorb.Pool;
import dev.qorb.spring.autoconfigure.QorbAutoConfiguration;
import dev.qorb.spring.health.QorbPoolHealthIndicator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** Health contributor {@code qorb}: one entry per pool; off with {@code management.health.qorb.enabled=false}. */
@AutoConfiguration(after = QorbAutoConfiguration.class)
@ConditionalOnClass({Pool.class, HealthContributor.class})
@ConditionalOnEnabledHealthIndicator("qorb")
public final class QorbHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "qorbHealthContributor")
    HealthContributor qorbHealthContributor(ObjectProvider<Pool<?>> pools) {
        Map<String, HealthIndicator> byPool = new LinkedHashMap<>();
        pools.orderedStream().forEach(pool -> byPool.put(pool.name(), new QorbPoolHealthIndicator(pool)));
        if (byPool.isEmpty()) {
            return (HealthIndicator) () -> Health.up().withDetail("pools", 0).build();
        }
        return CompositeHealthContributor.fromMap(byPool);
    }
}
