package dev.qorb.spring.autoconfigure;

import dev.qorb.Pool;
import dev.qorb.Secrets;
import dev.qorb.metrics.MetricsTrackerFactory;
import dev.qorb.spring.QorbPoolCustomizer;
import dev.qorb.spring.QorbPoolDecorator;
import dev.qorb.spring.actuate.TextSanitizer;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Pools from {@code qorb.pools.*}: one {@code Pool} bean each (see {@link QorbPoolRegistrar}),
 * started with the context and closed, after draining, on shutdown.
 */
@AutoConfiguration
@ConditionalOnClass(Pool.class)
@ConditionalOnQorbEnabled
@EnableConfigurationProperties(QorbProperties.class)
public final class QorbAutoConfiguration {

    @Bean
    static QorbPoolRegistrar qorbPoolRegistrar() {
        return new QorbPoolRegistrar();
    }

    @Bean(QorbPoolRegistrar.FACTORY_BEAN)
    QorbPoolFactory qorbPoolFactory(Environment environment, BeanFactory beanFactory,
            ObjectProvider<MetricsTrackerFactory> metrics, ObjectProvider<QorbPoolCustomizer> customizers,
            ObjectProvider<QorbPoolDecorator> decorators) {
        return new QorbPoolFactory(environment, beanFactory, metrics, customizers, decorators);
    }

    @Bean
    QorbPoolsLifecycle qorbPoolsLifecycle(ObjectProvider<Pool<?>> pools, ObjectProvider<QorbPoolCustomizer> customizers,
            QorbProperties properties) {
        return new QorbPoolsLifecycle(pools, customizers, properties.getShutdownTimeout());
    }

    /**
     * With actuator, text qorb did not write goes through the application's
     * {@link SanitizingFunction} beans too, as Spring Boot's own endpoints' values do.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SanitizingFunction.class)
    static class Sanitizing {

        @Bean
        @ConditionalOnMissingBean
        TextSanitizer qorbTextSanitizer(ObjectProvider<SanitizingFunction> functions) {
            Sanitizer sanitizer = new Sanitizer(functions.orderedStream().toList());
            return (key, text) -> {
                Object sanitized = sanitizer.sanitize(new SanitizableData(null, key, Secrets.mask(text)), true);
                return sanitized == null ? null : sanitized.toString();
            };
        }
    }
}
