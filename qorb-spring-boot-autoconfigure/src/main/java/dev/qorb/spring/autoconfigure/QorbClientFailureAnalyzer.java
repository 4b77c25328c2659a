package dev.qorb.spring.autoconfigure;

import dev.qorb.Pool;
import dev.qorb.spring.QorbClient;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.InjectionPoint;
import org.springframework.beans.factory.UnsatisfiedDependencyException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;

/**
 * Explains a {@code @QorbClient} injection that found no pool: an unknown name, or a pool
 * whose connection type is not the one asked for; lists the pools that are configured.
 */
class QorbClientFailureAnalyzer extends AbstractFailureAnalyzer<UnsatisfiedDependencyException> implements Ordered {

    private final BeanFactory beanFactory;

    QorbClientFailureAnalyzer(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnsatisfiedDependencyException cause) {
        InjectionPoint point = cause.getInjectionPoint();
        QorbClient client = point == null ? null : point.getAnnotation(QorbClient.class);
        if (client == null || !(beanFactory instanceof ConfigurableListableBeanFactory factory)) {
            return null;
        }
        Map<String, String> configured = new TreeMap<>();
        Arrays.stream(factory.getBeanNamesForType(Pool.class, true, false))
                .filter(bean -> bean.startsWith(QorbPoolRegistrar.BEAN_PREFIX))
                .forEach(bean -> configured.put(bean.substring(QorbPoolRegistrar.BEAN_PREFIX.length()),
                        ((RootBeanDefinition) factory.getMergedBeanDefinition(bean)).getResolvableType().toString()));
        ResolvableType wanted = ResolvableType.forType(point.getMethodParameter() != null
                ? point.getMethodParameter().getGenericParameterType() : point.getField().getGenericType());
        String name = client.value();
        String problem = configured.containsKey(name)
                ? "@QorbClient(\"" + name + "\") asks for " + wanted + " but pool '" + name + "' is a "
                        + configured.get(name) + ": its connector makes other connections."
                : "@QorbClient(\"" + name + "\") names no configured pool.";
        return new FailureAnalysis(problem + "\n\n    Injection point: " + point + "\n    Configured pools: "
                + (configured.isEmpty() ? "none" : configured), configured.containsKey(name)
                        ? "Declare the injection point with the pool's connection type, or point qorb.pools." + name
                                + ".connector at a connector of the type you want."
                        : "Configure the pool under qorb.pools." + name + ".*, or use one of the names "
                                + configured.keySet() + ".", cause);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
