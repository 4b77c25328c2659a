package dev.qorb.spring.autoconfigure;

import dev.qorb.Pool;
import dev.qorb.connector.Connector;
import dev.qorb.spring.QorbClient;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;

/**
 * Registers one {@code Pool<C>} bean per {@code qorb.pools.<name>}, named
 * {@code qorbPool.<name>}, qualified with {@code @QorbClient("<name>")}, and typed with the
 * connection type of its connector so that generic injection is checked. Everything that can
 * be checked without creating beans is checked here, so that a wrong property fails startup
 * before anything connects. A Pool bean the application defines with that name wins, and so
 * does a Resolver bean named {@code qorbResolver.<name>} over the resolver properties.
 */
public class QorbPoolRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {

    public static final String BEAN_PREFIX = "qorbPool.";
    /** A Resolver bean with this prefix and a pool's name is that pool's resolver, whatever the properties say. */
    static final String RESOLVER_PREFIX = "qorbResolver.";
    /** A Connector bean with this prefix and a pool's name is that pool's connector (as for a JDBC pool), and no other pool's. */
    public static final String CONNECTOR_PREFIX = "qorbConnector.";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        ConfigurableListableBeanFactory beanFactory = (ConfigurableListableBeanFactory) registry;
        configuredPools(environment).forEach((name, properties) -> {
            String beanName = BEAN_PREFIX + name;
            if (registry.containsBeanDefinition(beanName)) {
                return;
            }
            PoolSettings settings = new PoolSettings(name, properties);
            settings.policy();
            String resolverBean = registry.containsBeanDefinition(RESOLVER_PREFIX + name) ? RESOLVER_PREFIX + name
                    : settings.checkResolver();
            String connectorBean = registry.containsBeanDefinition(CONNECTOR_PREFIX + name) ? CONNECTOR_PREFIX + name
                    : connectorBean(beanFactory, name, properties.getConnector());
            RootBeanDefinition pool = new RootBeanDefinition(Pool.class);
            pool.setTargetType(ResolvableType.forClassWithGenerics(Pool.class, connectionType(beanFactory, connectorBean)));
            pool.addQualifier(new AutowireCandidateQualifier(QorbClient.class, name));
            pool.setInstanceSupplier(() -> beanFactory.getBean(QorbPoolFactory.class)
                    .create(settings, connectorBean, resolverBean));
            // Closed before what it uses: its connector, its resolver bean.
            pool.setDependsOn(resolverBean == null ? new String[] {connectorBean}
                    : new String[] {connectorBean, resolverBean});
            registry.registerBeanDefinition(beanName, pool);
        });
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    }

    /**
     * Each pool's properties: {@code qorb.defaults} first, then its own, which must all be
     * known properties (a typo fails startup instead of being ignored).
     */
    public static Map<String, QorbProperties.Pool> configuredPools(Environment environment) {
        Binder binder = Binder.get(environment);
        if (!binder.bind("qorb.enabled", Boolean.class).orElse(true)) {
            return Map.of();
        }
        Set<String> names = binder.bind("qorb.pools", Bindable.mapOf(String.class, QorbProperties.Pool.class))
                .map(Map::keySet).orElse(Set.of());
        Map<String, QorbProperties.Pool> pools = new LinkedHashMap<>();
        BindHandler strict = new NoUnboundElementsBindHandler(BindHandler.DEFAULT);
        for (String name : names) {
            QorbProperties.Pool pool = new QorbProperties.Pool();
            binder.bind("qorb.defaults", Bindable.ofInstance(pool), strict);
            binder.bind("qorb.pools." + name, Bindable.ofInstance(pool), strict);
            pools.put(name, pool);
        }
        return pools;
    }

    private static String connectorBean(ConfigurableListableBeanFactory beanFactory, String pool, String named) {
        List<String> connectors = Arrays.stream(beanFactory.getBeanNamesForType(Connector.class, true, false))
                .filter(bean -> !bean.startsWith(CONNECTOR_PREFIX)).toList();
        String property = "qorb.pools." + pool + ".connector";
        if (named != null) {
            if (!connectors.contains(named)) {
                throw new QorbConfigurationException(property, "no Connector bean is named '" + named + "'",
                        connectors.isEmpty() ? "Define a @Bean of type Connector<YourConnection> named '" + named + "'."
                                : "Use one of the Connector beans " + connectors + ", or define one named '" + named + "'.",
                        null);
            }
            return named;
        }
        if (connectors.size() == 1) {
            return connectors.get(0);
        }
        throw new QorbConfigurationException(property, connectors.isEmpty() ? "no Connector bean exists"
                : "it is not set and there are " + connectors.size() + " Connector beans " + connectors,
                connectors.isEmpty() ? "Define a @Bean of type Connector<YourConnection> (TcpConnector for plain sockets)."
                        : "Set " + property + " to one of " + connectors + ".", null);
    }

    /** The {@code C} of the {@code Connector<C>} bean, found without creating it. */
    static ResolvableType connectionType(ConfigurableListableBeanFactory beanFactory, String connectorBean) {
        Class<?> raw = beanFactory.getType(connectorBean, false);
        ResolvableType type = ((RootBeanDefinition) beanFactory.getMergedBeanDefinition(connectorBean))
                .getResolvableType().as(Connector.class).getGeneric(0);
        if (type.resolve() == null && raw != null) {
            type = ResolvableType.forClass(raw).as(Connector.class).getGeneric(0);
        }
        return type.resolve() != null ? type : ResolvableType.forClass(Object.class);
    }
}
