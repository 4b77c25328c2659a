package dev.qorb.spring.autoconfigure.jdbc;

import dev.qorb.spring.autoconfigure.QorbConfigurationException;
import dev.qorb.spring.autoconfigure.QorbPoolRegistrar;
import dev.qorb.spring.autoconfigure.QorbPoolProperties;
import java.util.Map;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * For each pool with {@code jdbc.url-template}: registers its {@code JdbcConnector} as the
 * pool's connector ({@value QorbPoolRegistrar#CONNECTOR_PREFIX}{@code <name>}) and its
 * {@code DataSource} ({@value #DATA_SOURCE_PREFIX}{@code <name>}). It runs while the
 * configuration classes load, before Spring Boot's DataSource auto-configuration checks for a
 * DataSource bean; the pools themselves come later, from {@link QorbPoolRegistrar}.
 *
 * <p>Everything is checked here, before anything connects: a wrong property fails startup
 * with the property, the problem and the fix.
 */
class QorbJdbcRegistrar implements ImportBeanDefinitionRegistrar {

    static final String DATA_SOURCE_PREFIX = "qorbDataSource.";

    private final Environment environment;
    private final ClassLoader classLoader;

    QorbJdbcRegistrar(Environment environment, ClassLoader classLoader) {
        this.environment = environment;
        this.classLoader = classLoader;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        String primary = null;
        for (Map.Entry<String, QorbPoolProperties> entry : QorbPoolRegistrar.configuredPools(environment).entrySet()) {
            String name = entry.getKey();
            QorbPoolProperties pool = entry.getValue();
            if (!pool.getJdbc().configured()) {
                continue;
            }
            check(name, pool);
            if (pool.getJdbc().isPrimary()) {
                if (primary != null) {
                    throw new QorbConfigurationException("qorb.pools." + name + ".jdbc.primary",
                            "pool '" + primary + "' is the primary DataSource already",
                            "Set jdbc.primary on one pool only: its DataSource is the application's.", null);
                }
                primary = name;
            }
            JdbcPoolBeans.register(registry, name, pool);
        }
    }

    private void check(String name, QorbPoolProperties pool) {
        String prefix = "qorb.pools." + name;
        if (pool.getJdbc().getUrlTemplate() == null) {
            throw new QorbConfigurationException(prefix + ".jdbc.url-template",
                    "is not set, but other " + prefix + ".jdbc properties are",
                    "Set " + prefix + ".jdbc.url-template to the JDBC URL of the backends with {host} and {port}, e.g."
                            + " jdbc:postgresql://{host}:{port}/orders, or remove the other jdbc properties.", null);
        }
        if (!ClassUtils.isPresent("dev.qorb.jdbc.QorbDataSource", classLoader)) {
            throw new QorbConfigurationException(prefix + ".jdbc.url-template",
                    "JDBC pools need qorb-jdbc, which is not on the classpath",
                    "Add the dependency dev.qorb:qorb-jdbc.", null);
        }
        if (pool.getConnector() != null) {
            throw new QorbConfigurationException(prefix + ".connector",
                    "is set, but a JDBC pool's connector is made from " + prefix + ".jdbc",
                    "Remove " + prefix + ".connector, or the " + prefix + ".jdbc properties.", null);
        }
    }
}
