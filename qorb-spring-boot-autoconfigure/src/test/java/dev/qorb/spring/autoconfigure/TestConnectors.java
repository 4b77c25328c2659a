package dev.qorb.spring.autoconfigure;

import dev.qorb.Backend;
import dev.qorb.connector.Connector;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** In-memory connectors of two connection types, for wiring tests that need no network. */
final class TestConnectors {

    /** A connection of one type. */
    record Foo(Backend backend) {
    }

    /** A connection of another type. */
    record Bar(Backend backend) {
    }

    static final class FooConnector implements Connector<Foo> {
        @Override
        public Foo connect(Backend backend) {
            return new Foo(backend);
        }
    }

    static final class BarConnector implements Connector<Bar> {
        @Override
        public Bar connect(Backend backend) {
            return new Bar(backend);
        }
    }

    /** An application with one Connector bean, declared by its interface type. */
    @Configuration(proxyBeanMethods = false)
    static class OneConnector {
        @Bean
        Connector<Foo> fooConnector() {
            return new FooConnector();
        }
    }

    /** An application with two Connector beans of two connection types. */
    @Configuration(proxyBeanMethods = false)
    static class TwoConnectors {
        @Bean
        FooConnector fooConnector() {
            return new FooConnector();
        }

        @Bean
        BarConnector barConnector() {
            return new BarConnector();
        }
    }

    private TestConnectors() {
    }
}
