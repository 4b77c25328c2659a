package dev.qorb.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qorb.Handle;
import dev.qorb.Pool;
import dev.qorb.connector.Connector;
import dev.qorb.resolver.FixedResolver;
import dev.qorb.spring.QorbClient;
import dev.qorb.spring.autoconfigure.TestConnectors.Foo;
import dev.qorb.spring.autoconfigure.TestConnectors.FooConnector;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

/**
 * Spring's AOT processing writes the pool beans out as code, and the application runs from that
 * code: the pools are made, typed by connection and found by {@code @QorbClient}, with the
 * values the environment has at run time.
 */
@CompileWithForkedClassLoader
class AotProcessingTest {

    @Configuration(proxyBeanMethods = false)
    static class Application {
        @Bean
        Connector<Foo> fooConnector() {
            return new FooConnector();
        }

        @Bean
        OrdersClient ordersClient(@QorbClient("orders") Pool<Foo> orders) {
            return new OrdersClient(orders);
        }
    }

    record OrdersClient(Pool<Foo> pool) {
    }

    private static GenericApplicationContext context(Map<String, Object> properties) {
        GenericApplicationContext context = new GenericApplicationContext();
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        context.setEnvironment(environment);
        return context;
    }

    @Test
    void thePoolBeansAreWrittenAsCodeAndRunFromIt() {
        GenericApplicationContext buildTime = context(Map.of("qorb.pools.orders.resolver.fixed.addresses",
                "127.0.0.1:7001", "qorb.pools.orders.claim-timeout", "5s"));
        AnnotationConfigUtils.registerAnnotationConfigProcessors(buildTime);
        buildTime.registerBean(QorbAutoConfiguration.class);
        buildTime.registerBean(Application.class);
        TestGenerationContext generation = new TestGenerationContext();
        ClassName initializer = new ApplicationContextAotGenerator().processAheadOfTime(buildTime, generation);
        generation.writeGeneratedContent();

        TestCompiler.forSystem().with(generation).compile(compiled -> {
            // At run time the addresses and sizes come from the environment, not from the build.
            try (GenericApplicationContext runTime = context(Map.of("qorb.pools.orders.resolver.fixed.addresses",
                    "127.0.0.1:7002", "qorb.pools.orders.claim-timeout", "7s"))) {
                @SuppressWarnings("unchecked")
                ApplicationContextInitializer<GenericApplicationContext> aot = compiled.getInstance(
                        ApplicationContextInitializer.class, initializer.toString());
                aot.initialize(runTime);
                runTime.refresh();
                Pool<Foo> orders = runTime.getBean(OrdersClient.class).pool();
                assertThat(orders.name()).isEqualTo("orders");
                assertThat(orders.policy().claimTimeout()).isEqualTo(Duration.ofSeconds(7));
                assertThat(orders.resolver()).isInstanceOf(FixedResolver.class).hasToString("FixedResolver[127.0.0.1:7002]");
                try (Handle<Foo> handle = orders.claim(Duration.ofSeconds(5))) {
                    assertThat(handle.get().backend().toString()).isEqualTo("127.0.0.1:7002");
                }
            }
        });
    }
}
