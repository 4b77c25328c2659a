package dev.qorb.spring.autoconfigure.health;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Puts qorb's {@code DEGRADED} into Spring Boot's health status order, between
 * {@code OUT_OF_SERVICE} and {@code UP}, as a default the application's own
 * {@code management.endpoint.health.status.order} replaces. Without it Spring Boot's aggregation
 * would ignore DEGRADED (a status it does not know). HTTP 200 is Spring Boot's mapping for it.
 */
class QorbHealthStatusOrder implements EnvironmentPostProcessor {

    static final String PROPERTY = "management.endpoint.health.status.order";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("qorbHealthStatusOrder",
                Map.of(PROPERTY, "DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN")));
    }
}
