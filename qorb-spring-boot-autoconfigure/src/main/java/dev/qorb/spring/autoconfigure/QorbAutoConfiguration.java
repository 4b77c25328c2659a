package dev.qorb.spring.autoconfigure;

import dev.qorb.Pool;
import dev.qorb.spring.QorbPoolCustomizer;
import dev.qorb.spring.QorbPoolDecorator;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Pools from {@code qorb.pools.*}: one {@code Pool} bean each (see {@link QorbPoolRegistrar}),
 * started with the context and closed, after draining, on shutdown.
 */
@AutoConfiguration
@ConditionalOnClass(Pool.class)
@ConditionalOnBooleanProperty(name = "qorb.enabled", matchIfMissing = true)
@EnableConfigurationProperties(QorbProperties.class)
public final class QorbAutoConfiguration {

    @Bean
    static QorbPoolRegistrar qorbPoolRegistrar() {
        return new QorbPoolRegistrar();
    }

    @Bean
    QorbPoolFactory qorbPoolFactory(BeanFactory beanFactory, ObjectProvider<QorbPoolCustomizer> customizers,
            ObjectProvider<QorbPoolDecorator> decorators) {
        return new QorbPoolFactory(beanFactory, customizers, decorators);
    }

    @Bean
    QorbPoolsLifecycle qorbPoolsLifecycle(ObjectProvider<Pool<?>> pools, QorbProperties properties) {
        return new QorbPoolsLifecycle(pools, properties.getShutdownTimeout());
    }
}
