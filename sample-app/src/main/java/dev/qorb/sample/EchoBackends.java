package dev.qorb.sample;

import dev.qorb.Backend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Echo servers on 127.0.0.1, on ports the OS chooses, that the demo can crash and bring back. */
public final class EchoBackends implements AutoCloseable {

    private final List<Server> servers = new ArrayList<>();

    public EchoBackends(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            servers.add(new Server(0));
        }
    }

    public List<Backend> backends() {
        return servers.stream()
                .map(s -> new Backend(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port)))
                .toList();
    }

    /** Closes the server and all its connections, like a crashed process. */
    public synchronized void crash(int index) throws IOException {
        servers.get(index).stop();
    }

    /** Listens again on the same port. */
    public synchronized void restart(int index) throws IOException {
        Server old = servers.get(index);
        old.stop();
        servers.set(index, new Server(old.port));
    }

    @Override
    public synchronized void close() throws IOException {
        for (Server server : servers) {
            server.stop();
        }
    }

    private static final class Server {
        final int port;
        final ServerSocket listening;
        final Set<Socket> open = ConcurrentHashMap.newKeySet();

        Server(int port) throws IOException {
            listening = new ServerSocket();
            listening.setReuseAddress(true);
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            this.port = listening.getLocalPort();
            daemon("echo-accept-" + this.port, this::accept);
        }

        void accept() {
            while (!listening.isClosed()) {
                try {
                    Socket socket = listening.accept();
                    open.add(socket);
                    if (listening.isClosed()) {
                        socket.close(); // stop() ran between accept and add, and missed this one
                        continue;
                    }
                    daemon("echo-" + port, () -> echo(socket));
                } catch (IOException e) {
                    return;
                }
            }
        }

        void echo(Socket socket) {
            try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                byte[] buffer = new byte[512];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // crashed or closed by the client
            } finally {
                open.remove(socket);
            }
        }

        void stop() throws IOException {
            listening.close();
            for (Socket socket : open) {
                socket.close();
            }
        }

        private static void daemon(String name, Runnable task) {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            thread.start();
        }
    }
}
