package dev.qorb.spring.autoconfigure;

import dev.qorb.Pool;
import dev.qorb.connector.Connector;
import dev.qorb.metrics.MetricsTrackerFactory;
import dev.qorb.resolver.Resolver;
import dev.qorb.spring.QorbPoolCustomizer;
import dev.qorb.spring.QorbPoolDecorator;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;

/**
 * Makes the pools the registrar declared: their settings read again from the environment (so
 * that an AOT-processed application takes its values at run time), then the resolver, the
 * policy, the metrics tracker, the customizers for the pool and the decorators.
 */
class QorbPoolFactory {

    private final Environment environment;
    private final BeanFactory beanFactory;
    private final ObjectProvider<MetricsTrackerFactory> metrics;
    private final ObjectProvider<QorbPoolCustomizer> customizers;
    private final ObjectProvider<QorbPoolDecorator> decorators;
    private volatile QorbConfiguration configuration;

    QorbPoolFactory(Environment environment, BeanFactory beanFactory, ObjectProvider<MetricsTrackerFactory> metrics,
            ObjectProvider<QorbPoolCustomizer> customizers, ObjectProvider<QorbPoolDecorator> decorators) {
        this.environment = environment;
        this.beanFactory = beanFactory;
        this.metrics = metrics;
        this.customizers = customizers;
        this.decorators = decorators;
    }

    /**
     * @param name the pool's name
     * @param connectorBean the name of its Connector bean
     * @param resolverBean the name of its Resolver bean, or empty to build one from properties
     */
    @SuppressWarnings("unchecked")
    Pool<?> create(String name, String connectorBean, String resolverBean) {
        if (configuration == null) {
            configuration = QorbConfiguration.read(environment);
        }
        PoolSettings settings = configuration.pool(name);
        Connector<Object> connector = beanFactory.getBean(connectorBean, Connector.class);
        Resolver resolver = resolverBean.isEmpty() ? new ResolverSettings(settings).build()
                : beanFactory.getBean(resolverBean, Resolver.class);
        Pool.Builder<Object> builder = Pool.builder(name, connector).resolver(resolver).policy(settings.policy());
        metrics.ifUnique(builder::metricsTracker);
        customizers.orderedStream().filter(customizer -> customizer.poolName() == null
                || customizer.poolName().equals(name)).forEach(customizer -> customizer.customize(name, builder));
        Pool<Object> pool = builder.build();
        for (QorbPoolDecorator decorator : decorators.orderedStream().toList()) {
            pool = decorator.decorate(pool);
        }
        return pool;
    }
}
