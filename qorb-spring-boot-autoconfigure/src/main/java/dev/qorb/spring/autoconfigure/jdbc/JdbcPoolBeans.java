package dev.qorb.spring.autoconfigure.jdbc;

import dev.qorb.BackendPolicy;
import dev.qorb.Pool;
import dev.qorb.jdbc.JdbcConnector;
import dev.qorb.jdbc.QorbDataSource;
import dev.qorb.spring.QorbClient;
import dev.qorb.spring.autoconfigure.QorbConfigurationException;
import dev.qorb.spring.autoconfigure.QorbPoolProperties;
import dev.qorb.spring.autoconfigure.QorbPoolRegistrar;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.env.Environment;

/**
 * The beans of the JDBC pools: declared by {@link #register}, made by this class as a bean
 * ({@value #FACTORY_BEAN}) through factory methods, as the pools are, so that Spring's AOT
 * processing can write them out as code and an AOT-processed application takes the values the
 * environment has at run time. Kept apart from {@link QorbJdbcRegistrar} so that only this
 * class refers to qorb-jdbc, which the registrar checks is on the classpath first.
 */
final class JdbcPoolBeans {

    static final String FACTORY_BEAN = "qorbJdbcPoolBeans";

    private final Environment environment;
    private final BeanFactory beanFactory;

    JdbcPoolBeans(Environment environment, BeanFactory beanFactory) {
        this.environment = environment;
        this.beanFactory = beanFactory;
    }

    /**
     * Registers the pool's connector and DataSource. The DataSource is primary when
     * {@code jdbc.primary} is set; otherwise it is no default candidate, so that only
     * {@code @QorbClient("<name>")} injects it and Spring Boot's DataSource auto-configuration
     * does not count it.
     */
    static void register(BeanDefinitionRegistry registry, String name, QorbPoolProperties pool) {
        connector(name, pool, BackendPolicy.defaults()); // checks the URL and the driver now
        if (!registry.containsBeanDefinition(FACTORY_BEAN)) {
            registry.registerBeanDefinition(FACTORY_BEAN, new RootBeanDefinition(JdbcPoolBeans.class));
        }
        RootBeanDefinition connector = made("connector", name, JdbcConnector.class);
        connector.setDefaultCandidate(false);
        registry.registerBeanDefinition(QorbPoolRegistrar.CONNECTOR_PREFIX + name, connector);

        RootBeanDefinition dataSource = made("dataSource", name, QorbDataSource.class);
        dataSource.addQualifier(new AutowireCandidateQualifier(QorbClient.class, name));
        dataSource.setDependsOn(QorbPoolRegistrar.BEAN_PREFIX + name);
        if (pool.getJdbc().isPrimary()) {
            dataSource.setPrimary(true);
        } else {
            dataSource.setDefaultCandidate(false);
        }
        registry.registerBeanDefinition(QorbJdbcRegistrar.DATA_SOURCE_PREFIX + name, dataSource);
    }

    /** A bean this class's {@code method} makes for the pool {@code name}. */
    private static RootBeanDefinition made(String method, String name, Class<?> type) {
        RootBeanDefinition definition = new RootBeanDefinition();
        definition.setFactoryBeanName(FACTORY_BEAN);
        definition.setFactoryMethodName(method);
        definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
        definition.setTargetType(type);
        return definition;
    }

    /** The connector of the JDBC pool {@code name}, from its properties at run time. */
    JdbcConnector connector(String name) {
        QorbPoolProperties pool = QorbPoolRegistrar.configuredPools(environment).get(name);
        return connector(name, pool, timeouts(pool.getBackend()));
    }

    /** The DataSource that lends the pool {@code name}'s connections. */
    @SuppressWarnings("unchecked")
    QorbDataSource dataSource(String name) {
        return new QorbDataSource(beanFactory.getBean(QorbPoolRegistrar.BEAN_PREFIX + name, Pool.class));
    }

    /** The timeouts of the pool's policy, which the pool registrar checks. */
    private static BackendPolicy timeouts(QorbPoolProperties.Backend backend) {
        return BackendPolicy.builder().connectTimeout(backend.getConnectTimeout())
                .healthCheckTimeout(backend.getHealthCheckTimeout()).build();
    }

    private static JdbcConnector connector(String name, QorbPoolProperties pool, BackendPolicy timeouts) {
        QorbJdbcProperties jdbc = pool.getJdbc();
        try {
            return JdbcConnector.builder(jdbc.getUrlTemplate()).username(jdbc.getUsername())
                    .password(jdbc.getPassword()).properties(jdbc.getProperties()).readOnly(jdbc.isReadOnly())
                    .timeouts(timeouts).build();
        } catch (IllegalArgumentException e) {
            String property = "qorb.pools." + name + ".jdbc.url-template";
            throw new QorbConfigurationException(property, e.getMessage(),
                    "Set " + property + " to a JDBC URL with {host} and {port} where each backend's address goes,"
                            + " e.g. jdbc:postgresql://{host}:{port}/orders, and put its JDBC driver on the classpath"
                            + " (for PostgreSQL org.postgresql:postgresql).", e);
        }
    }
}
