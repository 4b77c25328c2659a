package dev.qorb.spring.autoconfigure;

import dev.qorb.Pool;
import dev.qorb.connector.Connector;
import dev.qorb.resolver.Resolver;
import dev.qorb.spring.QorbPoolCustomizer;
import dev.qorb.spring.QorbPoolDecorator;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;

/** Builds the pools the registrar declared: resolver, policy, customizers, then decorators. */
public class QorbPoolFactory {

    private final BeanFactory beanFactory;
    private final ObjectProvider<QorbPoolCustomizer> customizers;
    private final ObjectProvider<QorbPoolDecorator> decorators;

    QorbPoolFactory(BeanFactory beanFactory, ObjectProvider<QorbPoolCustomizer> customizers,
            ObjectProvider<QorbPoolDecorator> decorators) {
        this.beanFactory = beanFactory;
        this.customizers = customizers;
        this.decorators = decorators;
    }

    @SuppressWarnings("unchecked")
    Pool<?> create(PoolSettings settings, String connectorBean, String resolverBean) {
        Connector<Object> connector = beanFactory.getBean(connectorBean, Connector.class);
        String name = settings.prefix().substring("qorb.pools.".length());
        Resolver resolver = resolverBean != null ? beanFactory.getBean(resolverBean, Resolver.class)
                : settings.resolver();
        Pool.Builder<Object> builder = Pool.builder(name, connector).resolver(resolver).policy(settings.policy());
        customizers.orderedStream().forEach(customizer -> customizer.customize(name, builder));
        Pool<Object> pool = builder.build();
        for (QorbPoolDecorator decorator : decorators.orderedStream().toList()) {
            pool = decorator.decorate(pool);
        }
        return pool;
    }
}
