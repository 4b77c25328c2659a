package dev.qorb.jdbc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Throwaway PostgreSQL servers on 127.0.0.1, for tests and benchmarks: one {@code initdb} per
 * JVM, then a copy of its data directory per server (much faster than an initdb each). Each
 * server has its own port and {@code cluster_name} ({@code pg1}, {@code pg2}, ...), so that
 * {@code SELECT current_setting('cluster_name')} tells which one answered. Trust
 * authentication, user {@code postgres}, no fsync: test data only.
 *
 * <p>{@link #close()} stops every server with {@code pg_ctl -m immediate} and deletes its
 * directory; a JVM shutdown hook does the same for servers a test failed to close.
 */
public final class PostgresServers implements AutoCloseable {

    /** Why servers cannot start here, for a skipped test. */
    public static final String NOT_INSTALLED = "PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/initdb"
            + " (install Debian's postgresql package, as .ci/run does)";

    private static final Set<PostgresServers> OPEN = ConcurrentHashMap.newKeySet();
    private static Path template;

    private final Path dir;
    private final List<PostgresServer> servers = new ArrayList<>();

    private PostgresServers(Path dir) {
        this.dir = dir;
    }

    /** Whether the server tools are installed. */
    public static boolean installed() {
        return PostgresTools.find().isPresent();
    }

    /**
     * Starts {@code count} servers.
     *
     * @param settings lines for every server's postgresql.conf, such as {@code log_statement = 'all'}
     * @throws IllegalStateException when PostgreSQL is not installed
     */
    public static PostgresServers start(int count, String... settings) throws IOException {
        PostgresTools tools = PostgresTools.find().orElseThrow(() -> new IllegalStateException(NOT_INSTALLED));
        Path data = template(tools);
        PostgresServers started = new PostgresServers(PostgresTools.newDirectory("qorb-pg-"));
        OPEN.add(started);
        try {
            for (int i = 1; i <= count; i++) {
                Path copy = started.dir.resolve("pg" + i);
                tools.run("cp", "-a", data.toString(), copy.toString());
                Files.writeString(copy.resolve("postgresql.conf"), String.join("\n", settings) + "\n",
                        StandardOpenOption.APPEND);
                PostgresServer server = new PostgresServer(tools, copy, "pg" + i);
                started.servers.add(server);
                server.start();
            }
        } catch (IOException | RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** The data directory every server starts from, made once per JVM. */
    private static synchronized Path template(PostgresTools tools) throws IOException {
        if (template == null) {
            Path dir = PostgresTools.newDirectory("qorb-pg-template-");
            Path data = dir.resolve("data");
            tools.run("initdb", "-D", data.toString(), "-U", "postgres", "--auth-local=trust", "--auth-host=trust",
                    "-E", "UTF8", "--locale=C", "-N");
            Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                    "listen_addresses = '127.0.0.1'",
                    "unix_socket_directories = ''", // TCP only: no socket directory permissions to get wrong
                    "max_connections = 120",
                    "shared_buffers = 16MB",
                    "fsync = off",
                    "synchronous_commit = off",
                    "full_page_writes = off",
                    "log_line_prefix = '%m [%p] '",
                    ""), StandardOpenOption.APPEND);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                OPEN.forEach(PostgresServers::close);
                try {
                    PostgresTools.delete(dir);
                } catch (IOException e) {
                    // the JVM is exiting; /tmp is cleaned eventually
                }
            }, "qorb-pg-cleanup"));
            template = data;
        }
        return template;
    }

    /** The servers, in order: {@code pg1} first. */
    public List<PostgresServer> servers() {
        return List.copyOf(servers);
    }

    /** The server named {@code pg<number>}. */
    public PostgresServer get(int number) {
        return servers.get(number - 1);
    }

    /** Stops every server at once ({@code pg_ctl -m immediate}) and deletes their directories. */
    @Override
    public void close() {
        if (!OPEN.remove(this)) {
            return;
        }
        servers.forEach(PostgresServer::stopQuietly);
        try {
            PostgresTools.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
