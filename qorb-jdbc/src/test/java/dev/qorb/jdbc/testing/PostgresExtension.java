package dev.qorb.jdbc.testing;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real PostgreSQL servers for one test class:
 * {@code @RegisterExtension static final PostgresExtension postgres = new PostgresExtension(3);}
 * starts them before the class's tests and stops them after. The class is skipped, saying
 * why, only when PostgreSQL is not installed.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

    private final int count;
    private final String[] settings;
    private PostgresServers servers;

    /** @param settings lines for every server's postgresql.conf */
    public PostgresExtension(int count, String... settings) {
        this.count = count;
        this.settings = settings;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Assumptions.assumeTrue(PostgresServers.installed(), PostgresServers.NOT_INSTALLED);
        servers = PostgresServers.start(count, settings);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (servers != null) {
            servers.close();
        }
    }

    /** The server named {@code pg<number>}. */
    public PostgresServer get(int number) {
        return servers.get(number);
    }

    public PostgresServers servers() {
        return servers;
    }
}
