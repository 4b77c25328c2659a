package dev.qorb.jdbc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One PostgreSQL server of {@link PostgresServers}: start, crash, restart on the same port, and
 * an administrator's SQL over its own connection.
 *
 * <p>Thread-safety: one thread controls a server; the address may be read from any.
 */
public final class PostgresServer {

    private static final int PORT_ATTEMPTS = 10;

    private final PostgresTools tools;
    private final Path data;
    private final String name;
    private volatile int port;
    private boolean running;

    PostgresServer(PostgresTools tools, Path data, String name) {
        this.tools = tools;
        this.data = data;
        this.name = name;
    }

    /** {@code pg1}, {@code pg2}, ...: also its {@code cluster_name}. */
    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** A JDBC URL for {@code database} on this server. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /**
     * Starts the server and waits until it accepts connections. The first start picks a free
     * port (binding port 0, then handing it to the server, again if the server could not bind
     * it); later starts keep that port, so that clients find the server where it was.
     */
    public void start() throws IOException {
        if (running) {
            throw new IllegalStateException(name + " is running");
        }
        if (port != 0) {
            startOn(port);
            return;
        }
        for (int attempt = 1; ; attempt++) {
            int candidate = freePort();
            Files.writeString(data.resolve("postgresql.conf"), "port = " + candidate + "\ncluster_name = '" + name
                    + "'\n", StandardOpenOption.APPEND);
            try {
                startOn(candidate);
                return;
            } catch (IOException e) {
                if (attempt == PORT_ATTEMPTS || !String.valueOf(e.getMessage()).contains("could not bind")) {
                    throw e;
                }
            }
        }
    }

    private void startOn(int candidate) throws IOException {
        Path log = data.resolve("server.log");
        long logged = Files.exists(log) ? Files.size(log) : 0;
        PostgresTools.Result result = tools.tryRun("pg_ctl", "-D", data.toString(), "-l", log.toString(), "-w",
                "-t", "30", "start");
        if (result.exitCode() != 0) {
            String tail = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).substring((int) logged) : "";
            throw new IOException(name + " did not start on port " + candidate + ": " + result.output() + tail);
        }
        port = candidate;
        running = true;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Kills the server as a crash would ({@code pg_ctl -m immediate}): sessions break, nothing is flushed. */
    public void crash() throws IOException {
        tools.run("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "-t", "30", "stop");
        running = false;
    }

    void stopQuietly() {
        if (running) {
            try {
                crash();
            } catch (IOException e) {
                System.err.println("could not stop PostgreSQL server " + name + ": " + e.getMessage());
            }
        }
    }

    /** Terminates every client session but the one asking, as an administrator would; the server stays up. */
    public int terminateClientSessions() throws SQLException {
        return (int) queryLong("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
    }

    /** Client sessions open now, not counting the one asking. */
    public long clientSessions() throws SQLException {
        return queryLong("SELECT count(*) FROM pg_stat_activity"
                + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
    }

    /** Runs {@code sql}, which returns one number, as the {@code postgres} user in database {@code postgres}. */
    public long queryLong(String sql) throws SQLException {
        try (Connection admin = DriverManager.getConnection(url("postgres"), "postgres", "");
                Statement statement = admin.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Runs {@code sql} as the {@code postgres} user in database {@code postgres}. */
    public void execute(String sql) throws SQLException {
        try (Connection admin = DriverManager.getConnection(url("postgres"), "postgres", "");
                Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The server's log so far. */
    public String log() {
        try {
            return Files.readString(data.resolve("server.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name + "@127.0.0.1:" + port;
    }
}
