package dev.qorb.spring.autoconfigure;

import dev.qorb.Backend;
import dev.qorb.connector.Connector;

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

    private TestConnectors() {
    }
}
