package dev.qorb.spring.autoconfigure;

import dev.qorb.Pool;
import dev.qorb.connector.Connector;
import dev.qorb.resolver.Resolver;
import dev.qorb.spring.QorbClient;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;

/**
 * Registers one {@code Pool<C>} bean per pool under {@code qorb.pools}, named
 * {@code qorbPool.<name>}, qualified with {@code @QorbClient("<name>")}, typed with the
 * connection type of its connector so that generic injection is checked, and made by
 * {@link QorbPoolFactory#create} (a factory-method definition, which Spring's AOT processing
 * can write out as code). Everything that can be checked without creating beans is checked
 * here, so that a wrong property fails startup before anything connects. A Pool bean the
 * application defines with that name wins, and so does a Resolver bean named
 * {@code qorbResolver.<name>} over the resolver properties.
 */
public class QorbPoolRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {

    /** A pool's bean is named with this prefix and its name. */
    public static final String BEAN_PREFIX = "qorbPool.";
    /** A Resolver bean with this prefix and a pool's name is that pool's resolver, whatever the properties say. */
    static final String RESOLVER_PREFIX = "qorbResolver.";
    /** A Connector bean with this prefix and a pool's name is that pool's connector (as for a JDBC pool), and no other pool's. */
    public static final String CONNECTOR_PREFIX = "qorbConnector.";
    /** The bean the pools are made by. */
    static final String FACTORY_BEAN = "qorbPoolFactory";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        ConfigurableListableBeanFactory beanFactory = (ConfigurableListableBeanFactory) registry;
        QorbConfiguration configuration = QorbConfiguration.read(environment);
        for (String name : configuration.poolNames()) {
            String beanName = BEAN_PREFIX + name;
            if (registry.containsBeanDefinition(beanName)) {
                continue;
            }
            PoolSettings settings = configuration.pool(name);
            String resolverBean = registry.containsBeanDefinition(RESOLVER_PREFIX + name) ? RESOLVER_PREFIX + name
                    : resolverBean(beanFactory, settings, new ResolverSettings(settings).check());
            settings.policy();
            String connectorBean = registry.containsBeanDefinition(CONNECTOR_PREFIX + name) ? CONNECTOR_PREFIX + name
                    : connectorBean(beanFactory, settings);
            RootBeanDefinition pool = new RootBeanDefinition();
            pool.setFactoryBeanName(FACTORY_BEAN);
            pool.setFactoryMethodName("create");
            pool.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
            pool.getConstructorArgumentValues().addIndexedArgumentValue(1, connectorBean);
            pool.getConstructorArgumentValues().addIndexedArgumentValue(2, resolverBean == null ? "" : resolverBean);
            pool.setTargetType(ResolvableType.forClassWithGenerics(Pool.class, connectionType(beanFactory, connectorBean)));
            pool.addQualifier(new AutowireCandidateQualifier(QorbClient.class, name));
            // Closed before what it uses: its connector, its resolver bean.
            pool.setDependsOn(resolverBean == null ? new String[] {connectorBean}
                    : new String[] {connectorBean, resolverBean});
            registry.registerBeanDefinition(beanName, pool);
        }
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    }

    /**
     * Each pool's properties, {@code qorb.defaults} first, then its own, by pool name, for
     * integrations that declare beans beside the pools (a JDBC pool's DataSource).
     *
     * @throws QorbConfigurationException naming the first property under {@code qorb} that is wrong
     */
    public static Map<String, QorbPoolProperties> configuredPools(Environment environment) {
        QorbConfiguration configuration = QorbConfiguration.read(environment);
        Map<String, QorbPoolProperties> pools = new LinkedHashMap<>();
        configuration.poolNames().forEach(name -> pools.put(name, configuration.pool(name).properties()));
        return pools;
    }

    /** The Resolver bean {@code resolver.bean} names, checked to exist and to be a Resolver. */
    private static String resolverBean(ConfigurableListableBeanFactory beanFactory, PoolSettings settings,
            String named) {
        if (named == null) {
            return null;
        }
        List<String> resolvers = Arrays.asList(beanFactory.getBeanNamesForType(Resolver.class, true, false));
        if (resolvers.contains(named)) {
            return named;
        }
        Class<?> type = beanFactory.containsBean(named) ? beanFactory.getType(named, false) : null;
        throw settings.invalid("resolver.bean", type != null ? "the bean '" + named + "' is a " + type.getName()
                        + ", not a dev.qorb.resolver.Resolver" : "no Resolver bean is named '" + named + "'",
                resolvers.isEmpty() ? "Define a @Bean of type Resolver named '" + named + "'."
                        : "Use one of the Resolver beans " + resolvers + ", or define one named '" + named + "'.",
                null);
    }

    private static String connectorBean(ConfigurableListableBeanFactory beanFactory, PoolSettings settings) {
        List<String> connectors = Arrays.stream(beanFactory.getBeanNamesForType(Connector.class, true, false))
                .filter(bean -> !bean.startsWith(CONNECTOR_PREFIX)).toList();
        String named = settings.properties().getConnector();
        String property = settings.property("connector");
        if (named != null) {
            if (!connectors.contains(named)) {
                throw settings.invalid("connector", "no Connector bean is named '" + named + "'",
                        connectors.isEmpty() ? "Define a @Bean of type Connector<YourConnection> named '" + named + "'."
                                : "Use one of the Connector beans " + connectors + ", or define one named '" + named + "'.",
                        null);
            }
            return named;
        }
        if (connectors.size() == 1) {
            return connectors.get(0);
        }
        throw settings.invalid("connector", connectors.isEmpty() ? "no Connector bean exists"
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
