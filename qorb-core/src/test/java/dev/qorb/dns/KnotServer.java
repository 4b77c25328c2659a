package dev.qorb.dns;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * A real authoritative DNS server (Knot's knotd) for integration tests, on 127.0.0.1 on a
 * port the OS chose free, with its state in a temporary directory, dynamic updates allowed
 * from loopback, SERVFAIL switchable at runtime, and pausable (SIGSTOP) to give timeouts.
 * Started and stopped by the test.
 */
final class KnotServer implements AutoCloseable {

    static final String ZONE = "test.example.";

    private final Path dir;
    private final Process process;
    private final int port;

    private KnotServer(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /** Where knotd is, if installed. */
    static Optional<Path> knotd() {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin" + File.pathSeparator
                + "/usr/local/sbin";
        return Arrays.stream(path.split(File.pathSeparator)).map(p -> Path.of(p, "knotd"))
                .filter(Files::isExecutable).findFirst();
    }

    /** Starts knotd serving {@code zoneBody} (records after the SOA and NS) and waits until it answers. */
    static KnotServer start(Path dir, String zoneBody) throws Exception {
        Path knotd = knotd().orElseThrow(() -> new IllegalStateException("knotd is not installed"));
        Files.createDirectories(dir.resolve("db"));
        Files.writeString(dir.resolve("test.example.zone"), "$ORIGIN " + ZONE + "\n$TTL 5\n"
                + "@ IN SOA ns1 hostmaster ( 1 3600 600 86400 5 )\n@ IN NS ns1\nns1 IN A 127.0.0.1\n" + zoneBody);
        IOException lastFailure = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            Files.writeString(dir.resolve("knot.conf"), String.join("\n",
                    "server:", "    listen: 127.0.0.1@" + port, "    rundir: " + dir,
                    "log:", "  - target: stderr", "    any: info",
                    "database:", "    storage: " + dir.resolve("db"),
                    "control:", "    listen: " + dir.resolve("knot.sock"),
                    "acl:", "  - id: local_update", "    address: [ 127.0.0.1, ::1 ]", "    action: update",
                    "zone:", "  - domain: " + ZONE, "    storage: " + dir, "    file: test.example.zone",
                    "    acl: local_update", ""));
            Process process = new ProcessBuilder(knotd.toString(), "-c", dir.resolve("knot.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("knotd.log").toFile()).start();
            KnotServer server = new KnotServer(dir, process, port);
            if (server.awaitReady(Duration.ofSeconds(10))) {
                return server;
            }
            server.close();
            lastFailure = new IOException("knotd did not answer on port " + port + "; its log: "
                    + Files.readString(dir.resolve("knotd.log")));
        }
        throw lastFailure;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Sends an RFC 2136 update built by {@code change}; fails unless the server says NOERROR. */
    void update(java.util.function.Consumer<Update> change) throws Exception {
        Update update = new Update(Name.fromString(ZONE));
        change.accept(update);
        Message response = resolver(Duration.ofSeconds(5)).send(update);
        if (response.getRcode() != Rcode.NOERROR) {
            throw new IllegalStateException("update refused: " + Rcode.string(response.getRcode()));
        }
    }

    /** Expires the zone: every query in it gets SERVFAIL until {@link #reload()}. */
    void expireZone() throws Exception {
        knotc("-f", "zone-purge", ZONE, "+expire");
    }

    /** Freezes knotd (SIGSTOP): queries get no answer, as from a hung server, until {@link #resume()}. */
    void pause() throws Exception {
        signal("-STOP");
    }

    /** Lets a paused knotd run again (SIGCONT). */
    void resume() throws Exception {
        signal("-CONT");
    }

    private void signal(String signal) throws Exception {
        // The shell's own kill: no procps package needed.
        Process kill = new ProcessBuilder("sh", "-c", "kill " + signal + " " + process.pid()).redirectErrorStream(true)
                .start();
        String output = new String(kill.getInputStream().readAllBytes());
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed: " + output);
        }
    }

    /** Loads the zone again from its file (Knot wrote earlier updates into it). */
    void reload() throws Exception {
        knotc("reload");
    }

    private void knotc(String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = "knotc";
        command[1] = "-s";
        command[2] = dir.resolve("knot.sock").toString();
        System.arraycopy(args, 0, command, 3, args.length);
        Process knotc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(knotc.getInputStream().readAllBytes());
        if (!knotc.waitFor(10, TimeUnit.SECONDS) || knotc.exitValue() != 0) {
            throw new IllegalStateException("knotc " + String.join(" ", args) + " failed: " + output);
        }
    }

    private boolean awaitReady(Duration timeout) throws Exception {
        SimpleResolver resolver = resolver(Duration.ofMillis(200));
        Message soa = Message.newQuery(Record.newRecord(Name.fromString(ZONE), Type.SOA, DClass.IN));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0 && process.isAlive()) {
            try {
                if (resolver.send(soa).getRcode() == Rcode.NOERROR) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet, or the zone not loaded: ask again (each try waits up to 200 ms)
            }
        }
        return false;
    }

    private SimpleResolver resolver(Duration timeout) {
        SimpleResolver resolver = new SimpleResolver(address());
        resolver.setTimeout(timeout);
        return resolver;
    }

    /** A port the OS reports free for both UDP and TCP on 127.0.0.1. */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    ServerSocket tcp = new ServerSocket()) {
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort()));
                return udp.getLocalPort();
            } catch (IOException taken) {
                // TCP side taken: try another
            }
        }
        throw new IOException("no port free for both UDP and TCP");
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            resume(); // a stopped process would not act on SIGTERM
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
