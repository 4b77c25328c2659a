package dev.qorb.jdbc;

import static dev.qorb.jdbc.QorbDataSourceTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.dns.AddressFamily;
import dev.qorb.dns.ServiceAddresses;
import dev.qorb.dns.TestDnsServer;
import dev.qorb.jdbc.testing.PostgresExtension;
import dev.qorb.jdbc.testing.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.jdbc.PgConnection;

/**
 * The DataSource over three real PostgreSQL servers found through DNS SRV records, as read
 * replicas are: reads spread over all of them, a crashed one costs only the connections it
 * had, a restarted one is used again, and sessions killed on the server are never lent.
 */
class ReplicasTest {

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension(3);

    private TestDnsServer dns;
    private final List<Pool<Connection>> pools = new ArrayList<>();

    @BeforeEach
    void srvRecords() throws Exception {
        dns = new TestDnsServer();
        for (PostgresServer server : postgres.servers().servers()) {
            dns.srv("_pg._tcp", 0, 1, server.port(), server.name(), 60).host(server.name(), "127.0.0.1", 60);
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (Pool<Connection> pool : pools) {
            pool.close();
            assertThat(pool.awaitTermination(Duration.ofSeconds(10))).as("%s closed", pool.name()).isTrue();
        }
        dns.close();
        for (PostgresServer server : postgres.servers().servers()) {
            if (server.port() != 0 && !isUp(server)) {
                server.start();
            }
        }
    }

    private QorbDataSource replicas(UnaryOperator<Policy.Builder> policy) {
        Policy built = policy.apply(Policy.builder()).build();
        Pool<Connection> pool = Pool.builder("replicas",
                        JdbcConnector.builder("jdbc:postgresql://{host}:{port}/postgres").username("postgres")
                                .readOnly(true).timeouts(built.backend()).build())
                .resolver(ServiceAddresses.resolver("_pg._tcp.test.example",
                        dns -> dns.servers(List.of(this.dns.address())).family(AddressFamily.IPV4_ONLY)))
                .policy(built)
                .build();
        pools.add(pool);
        return new QorbDataSource(pool);
    }

    @Test
    void readsSpreadOverEveryReplica() throws SQLException {
        QorbDataSource replicas = replicas(p -> p.maxSlots(9).sparesWanted(6));
        await().atMost(Duration.ofSeconds(10)).until(() -> idlePerBackend(replicas).values().stream()
                .filter(idle -> idle >= 2).count() == 3);

        Map<String, Integer> answers = new ConcurrentHashMap<>();
        for (int i = 0; i < 300; i++) {
            try (Connection connection = replicas.getConnection()) {
                assertThat(connection.isReadOnly()).isTrue();
                answers.merge(text(connection, "SELECT current_setting('cluster_name')"), 1, Integer::sum);
            }
        }

        assertThat(answers).containsOnlyKeys("pg1", "pg2", "pg3");
        assertThat(answers.values()).as("%s", answers).allMatch(count -> count >= 30);
    }

    @Test
    void aCrashedReplicaCostsOnlyItsOwnConnectionsAndIsUsedAgainAfterItsRestart() throws Exception {
        QorbDataSource replicas = replicas(p -> p.maxSlots(12).sparesWanted(6)
                .backend(b -> b.maxBackoff(Duration.ofMillis(500))));
        PostgresServer crashed = postgres.get(2);
        try (ReadLoad load = new ReadLoad(replicas, 4)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.answers.keySet().size() == 3);

            crashed.crash();
            long crashedAt = load.reads();
            // Steady load without it: several hundred reads on the two others.
            await().atMost(Duration.ofSeconds(20)).until(() -> load.reads() >= crashedAt + 300);
            int answeredBeforeRestart = load.answers.getOrDefault("pg2", 0);

            crashed.start();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> load.answers.getOrDefault("pg2", 0) > answeredBeforeRestart);

            load.stop();
            assertThat(load.claimFailures).as("getConnection() failures while other replicas were up").isEmpty();
            // Only connections to the crashed server fail, each once: then it is closed, not lent again.
            assertThat(load.queryFailures.keySet()).extracting(PgConnection::getURL)
                    .allMatch(url -> url.contains(":" + crashed.port() + "/"), "a URL of the crashed server");
            assertThat(load.queryFailures.values()).as("failures per connection").allMatch(f -> f.size() == 1);
            assertThat(load.queryFailures.values()).flatMap(failures -> failures)
                    .allMatch(error -> error.getSQLState() != null && (error.getSQLState().startsWith("08")
                            || error.getSQLState().startsWith("57P")), "a connection error");
        }
    }

    @Test
    void idleConnectionsWhoseSessionsWereKilledAreNeverLent() throws Exception {
        // No background health checks: only the check before lending can find the broken
        // connections. A zero alive-bypass window checks every connection before it is lent, so
        // the test needs no wait for the default 500 ms window to pass.
        QorbDataSource replicas = replicas(p -> p.maxSlots(9).sparesWanted(6)
                .backend(b -> b.noHealthChecks().maxBackoff(Duration.ofMillis(500)).aliveBypassWindow(Duration.ZERO)));
        PostgresServer killed = postgres.get(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> idlePerBackend(replicas).values().stream()
                .filter(idle -> idle >= 2).count() == 3);
        Connection lent = lentFrom(replicas, killed);

        assertThat(killed.terminateClientSessions()).as("the lent connection and the idle ones").isGreaterThan(1);
        List<SQLException> failures = new ArrayList<>();
        try (lent) {
            text(lent, "SELECT 1");
        } catch (SQLException e) {
            failures.add(e);
        }
        try (ReadLoad load = new ReadLoad(replicas, 4)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> load.reads() >= 200);
            load.stop();
            load.queryFailures.values().forEach(failures::addAll);
            failures.addAll(load.claimFailures);
        }

        assertThat(failures).as("failures: only the connection lent when the sessions were killed").hasSize(1);
    }

    /** Claims until a connection to {@code server} comes up; the others go back at once. */
    private static Connection lentFrom(QorbDataSource replicas, PostgresServer server) throws SQLException {
        for (int attempt = 0; attempt < 200; attempt++) {
            Connection connection = replicas.getConnection();
            if (text(connection, "SELECT current_setting('cluster_name')").equals(server.name())) {
                return connection;
            }
            connection.close();
        }
        throw new AssertionError("no connection to " + server + " in 200 claims");
    }

    private static Map<Integer, Integer> idlePerBackend(QorbDataSource replicas) {
        Map<Integer, Integer> idle = new ConcurrentHashMap<>();
        replicas.pool().stats().backends().values()
                .forEach(stats -> idle.put(stats.backend().address().getPort(), stats.unclaimed()));
        return idle;
    }

    private static boolean isUp(PostgresServer server) {
        try {
            server.queryLong("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Threads that each read which server answers, over and over, through the DataSource, and
     * record what failed: claims, and queries by the driver connection they ran on.
     */
    static final class ReadLoad implements AutoCloseable {
        final Map<String, Integer> answers = new ConcurrentHashMap<>();
        final List<SQLException> claimFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Map<PgConnection, List<SQLException>> queryFailures = new ConcurrentHashMap<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean running = true;

        ReadLoad(QorbDataSource dataSource, int threadCount) {
            for (int i = 0; i < threadCount; i++) {
                Thread thread = new Thread(() -> read(dataSource), "read-load-" + i);
                thread.start();
                threads.add(thread);
            }
        }

        private void read(QorbDataSource dataSource) {
            while (running) {
                Connection connection;
                try {
                    connection = dataSource.getConnection();
                } catch (SQLException e) {
                    claimFailures.add(e);
                    continue;
                }
                try (connection) {
                    try {
                        answers.merge(text(connection, "SELECT current_setting('cluster_name')"), 1, Integer::sum);
                    } catch (SQLException e) {
                        queryFailures.computeIfAbsent(connection.unwrap(PgConnection.class),
                                c -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(e);
                    }
                } catch (SQLException e) {
                    throw new AssertionError("unwrap or close failed", e);
                }
            }
        }

        long reads() {
            return answers.values().stream().mapToLong(Integer::longValue).sum();
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(30).toMillis());
                assertThat(thread.isAlive()).as("%s stopped", thread.getName()).isFalse();
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
