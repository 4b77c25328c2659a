package dev.qorb.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the demo backends and DNS server before the context, so that {@code application.yml}
 * can point the pools at them ({@code ${qorb-sample.dns-server}},
 * {@code ${qorb-sample.addresses}}), exactly as an application points at real ones. Registered
 * in {@code META-INF/spring.factories}; off with {@code qorb-sample.demo-backends=false}.
 */
public class DemoBackendsInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        var environment = context.getEnvironment();
        if (!environment.getProperty("qorb-sample.demo-backends", Boolean.class, true)) {
            return;
        }
        DemoBackends backends;
        try {
            backends = new DemoBackends(environment.getProperty("qorb-sample.backends", Integer.class, 3));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the demo backends", e);
        }
        environment.getPropertySources().addFirst(new MapPropertySource("qorbSampleBackends", Map.of(
                "qorb-sample.dns-server", backends.dnsServer(), "qorb-sample.addresses", backends.addresses())));
        context.getBeanFactory().registerSingleton("demoBackends", backends);
        // Destroyed last (singletons go in reverse order of registration): after the pools.
        ((DefaultSingletonBeanRegistry) context.getBeanFactory()).registerDisposableBean("demoBackends", backends::close);
    }
}
