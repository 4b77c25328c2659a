package dev.qorb.benchmarks.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.qorb.Backend;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.jdbc.JdbcConnector;
import dev.qorb.jdbc.QorbDataSource;
import dev.qorb.jdbc.testing.PostgresServer;
import dev.qorb.jdbc.testing.PostgresServers;
import dev.qorb.resolver.FixedResolver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@code getConnection()} + {@code SELECT 1} + {@code close()} through {@link QorbDataSource}
 * and through HikariCP, both holding 16 connections to the same local PostgreSQL server, at 1,
 * 8 and 32 threads; and {@code getConnection()} + {@code close()} alone, the pool's own cost.
 * Reported as µs per operation per thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class JdbcBenchmark {

    static final String QORB = "qorb";
    static final String HIKARICP = "hikaricp";
    private static final int SIZE = 16;

    @Param({QORB, HIKARICP})
    public String pool;

    private PostgresServers servers;
    private DataSource dataSource;
    private AutoCloseable closer;

    @Setup
    public void setUp() throws Exception {
        servers = PostgresServers.start(1);
        PostgresServer server = servers.get(1);
        if (pool.equals(QORB)) {
            Pool<Connection> qorb = Pool.builder("bench", JdbcConnector.builder("jdbc:postgresql://{host}:{port}/postgres")
                            .username("postgres").build())
                    .resolver(FixedResolver.of(Backend.of(server.address().getAddress(), server.port())))
                    .policy(Policy.builder().maxSlots(SIZE).sparesWanted(SIZE).claimTimeout(Duration.ofSeconds(30))
                            .backend(b -> b.maxSlots(SIZE)).build())
                    .build();
            dataSource = new QorbDataSource(qorb);
            closer = qorb;
        } else {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(server.url("postgres"));
            config.setUsername("postgres");
            config.setPoolName("bench");
            config.setMaximumPoolSize(SIZE);
            config.setMinimumIdle(SIZE);
            config.setConnectionTimeout(30_000);
            HikariDataSource hikari = new HikariDataSource(config);
            dataSource = hikari;
            closer = hikari;
        }
        fill();
    }

    /** Holds every connection at once, so that the pool has opened all of them before measuring. */
    private void fill() throws SQLException {
        List<Connection> held = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            held.add(dataSource.getConnection());
        }
        for (Connection connection : held) {
            connection.close();
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        closer.close();
        servers.close();
    }

    private int selectOne() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT 1")) {
            result.next();
            return result.getInt(1);
        }
    }

    private Connection getAndClose() throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.close();
        return connection;
    }

    @Benchmark
    @Threads(1)
    public int query01() throws SQLException {
        return selectOne();
    }

    @Benchmark
    @Threads(8)
    public int query08() throws SQLException {
        return selectOne();
    }

    @Benchmark
    @Threads(32)
    public int query32() throws SQLException {
        return selectOne();
    }

    @Benchmark
    @Threads(1)
    public Connection poolOnly01() throws SQLException {
        return getAndClose();
    }

    @Benchmark
    @Threads(8)
    public Connection poolOnly08() throws SQLException {
        return getAndClose();
    }

    @Benchmark
    @Threads(32)
    public Connection poolOnly32() throws SQLException {
        return getAndClose();
    }
}
