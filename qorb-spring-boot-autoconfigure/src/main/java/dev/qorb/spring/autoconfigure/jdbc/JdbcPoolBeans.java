package dev.qorb.spring.autoconfigure.jdbc;

import dev.qorb.BackendPolicy;
import dev.qorb.Pool;
import dev.qorb.jdbc.JdbcConnector;
import dev.qorb.jdbc.QorbDataSource;
import dev.qorb.spring.QorbClient;
import dev.qorb.spring.autoconfigure.QorbConfigurationException;
import dev.qorb.spring.autoconfigure.QorbPoolRegistrar;
import dev.qorb.spring.autoconfigure.QorbPoolProperties;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * The beans of one JDBC pool. Kept apart from {@link QorbJdbcRegistrar} so that only this
 * class refers to qorb-jdbc, which the registrar checks is on the classpath first.
 */
final class JdbcPoolBeans {

    private JdbcPoolBeans() {
    }

    /**
     * Registers the pool's connector and DataSource. The DataSource is primary when
     * {@code jdbc.primary} is set; otherwise it is no default candidate, so that only
     * {@code @QorbClient("<name>")} injects it and Spring Boot's DataSource auto-configuration
     * does not count it.
     */
    static void register(BeanDefinitionRegistry registry, String name, QorbPoolProperties pool) {
        connector(name, pool, BackendPolicy.defaults()); // checks the URL and the driver now
        RootBeanDefinition connector = new RootBeanDefinition(JdbcConnector.class,
                () -> connector(name, pool, timeouts(pool.getBackend())));
        connector.setDefaultCandidate(false);
        registry.registerBeanDefinition(QorbPoolRegistrar.CONNECTOR_PREFIX + name, connector);

        BeanFactory beanFactory = (BeanFactory) registry;
        @SuppressWarnings("unchecked")
        RootBeanDefinition dataSource = new RootBeanDefinition(QorbDataSource.class,
                () -> new QorbDataSource(beanFactory.getBean(QorbPoolRegistrar.BEAN_PREFIX + name, Pool.class)));
        dataSource.addQualifier(new AutowireCandidateQualifier(QorbClient.class, name));
        dataSource.setDependsOn(QorbPoolRegistrar.BEAN_PREFIX + name);
        if (pool.getJdbc().isPrimary()) {
            dataSource.setPrimary(true);
        } else {
            dataSource.setDefaultCandidate(false);
        }
        registry.registerBeanDefinition(QorbJdbcRegistrar.DATA_SOURCE_PREFIX + name, dataSource);
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
