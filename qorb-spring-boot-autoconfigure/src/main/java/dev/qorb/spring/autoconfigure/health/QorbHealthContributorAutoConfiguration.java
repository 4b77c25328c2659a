package dev.qorb.spring.autoconfigure.health;

import dev.qorb.Pool;
import dev.qorb.spring.actuate.QorbPoolHealthIndicator;
import dev.qorb.spring.actuate.TextSanitizer;
import dev.qorb.spring.autoconfigure.ConditionalOnQorbPools;
import dev.qorb.spring.autoconfigure.QorbAutoConfiguration;
import dev.qorb.spring.autoconfigure.QorbProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Health contributor {@code qorb}, one entry per pool, when pools are configured; off with
 * {@code management.health.qorb.enabled=false}. Where Spring Boot's availability probes are on,
 * it joins the readiness group (not liveness) unless the application chose that group's members.
 */
@AutoConfiguration(after = QorbAutoConfiguration.class, afterName =
        "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration")
@ConditionalOnClass({Pool.class, HealthContributor.class})
@ConditionalOnEnabledHealthIndicator("qorb")
@ConditionalOnQorbPools
public final class QorbHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "qorbHealthContributor")
    HealthContributor qorbHealthContributor(ObjectProvider<Pool<?>> pools, QorbProperties properties,
            ObjectProvider<TextSanitizer> sanitizer) {
        TextSanitizer texts = sanitizer.getIfAvailable(TextSanitizer::defaults);
        Map<String, HealthIndicator> byPool = new LinkedHashMap<>();
        pools.orderedStream().forEach(pool -> byPool.put(pool.name(),
                new QorbPoolHealthIndicator(pool, properties.getHealth().getStartupGrace(), texts)));
        return CompositeHealthContributor.fromMap(byPool);
    }

    /** Health groups need actuator's endpoint support, an optional dependency of Spring Boot's health module. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({HealthEndpointGroupsPostProcessor.class, AdditionalPathsMapper.class})
    static class Readiness {

        @Bean
        static QorbReadinessGroup qorbReadinessGroup(Environment environment) {
            return new QorbReadinessGroup(environment);
        }
    }
}
