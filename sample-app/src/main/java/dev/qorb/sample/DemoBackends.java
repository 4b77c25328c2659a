package dev.qorb.sample;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The demo's backends: echo servers on loopback, published in the demo DNS server. Each can be
 * stopped and started (a crash and a restart) or taken out of DNS and put back (a scale-down
 * and a scale-up), independently.
 */
public final class DemoBackends implements AutoCloseable {

    /**
     * One backend as the page shows it.
     *
     * @param id its number
     * @param port its TCP port on 127.0.0.1
     * @param running whether it accepts connections
     * @param inDns whether the DNS server publishes it
     * @param connections connections it holds open
     */
    public record View(int id, int port, boolean running, boolean inDns, int connections) {
    }

    private final List<EchoServer> servers = new ArrayList<>();
    private final DemoDnsServer dns;

    DemoBackends(int count) throws IOException {
        dns = new DemoDnsServer();
        for (int id = 0; id < count; id++) {
            EchoServer server = new EchoServer();
            servers.add(server);
            dns.add(id, server.port());
        }
    }

    /** The DNS server, as {@code 127.0.0.1:port}. */
    String dnsServer() {
        return "127.0.0.1:" + dns.address().getPort();
    }

    /** Every backend as {@code 127.0.0.1:port}, comma separated. */
    String addresses() {
        return servers.stream().map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(","));
    }

    public synchronized List<View> views() {
        List<View> views = new ArrayList<>();
        for (int id = 0; id < servers.size(); id++) {
            EchoServer server = servers.get(id);
            views.add(new View(id, server.port(), server.running(), dns.published(id), server.connections()));
        }
        return views;
    }

    /** @return whether {@code id} is a backend */
    public synchronized boolean stop(int id) throws IOException {
        if (!known(id)) {
            return false;
        }
        servers.get(id).stop();
        return true;
    }

    public synchronized boolean start(int id) throws IOException {
        if (!known(id)) {
            return false;
        }
        servers.get(id).start();
        return true;
    }

    public synchronized boolean removeFromDns(int id) {
        if (!known(id)) {
            return false;
        }
        dns.remove(id);
        return true;
    }

    public synchronized boolean addToDns(int id) {
        if (!known(id)) {
            return false;
        }
        dns.add(id, servers.get(id).port());
        return true;
    }

    private boolean known(int id) {
        return id >= 0 && id < servers.size();
    }

    @Override
    public synchronized void close() throws IOException {
        dns.close();
        for (EchoServer server : servers) {
            server.stop();
        }
    }
}
