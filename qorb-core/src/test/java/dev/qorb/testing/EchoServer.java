package dev.qorb.testing;

import dev.qorb.Backend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP echo server on 127.0.0.1 for tests: binds a port the OS chooses, echoes every byte,
 * and counts the connections it holds open, so that tests can check the pool closed them.
 * It can be stopped (closing every connection) and started again on the same port.
 *
 * <p>While stopped it keeps the port bound without listening, so that connects are refused as
 * by a crashed backend, yet no client socket can be given the port as its own ephemeral port
 * meanwhile (a pool reconnecting to 127.0.0.1 on a free port can even connect to itself),
 * which would make the restart fail with "address already in use".
 */
public final class EchoServer implements AutoCloseable {

    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile ServerSocket server;
    /** Bound, not listening, while stopped; see the class comment. */
    private volatile Socket portHolder;
    private volatile Thread acceptor;
    private final int port;

    private EchoServer(ServerSocket server) {
        this.server = server;
        this.port = server.getLocalPort();
        acceptLoop(server);
    }

    /** A running server on a port the OS chose. */
    public static EchoServer start() throws IOException {
        return new EchoServer(bind(0));
    }

    public int port() {
        return port;
    }

    public Backend backend() {
        return new Backend(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** Connections accepted and not yet closed by either side. */
    public int openConnections() {
        open.removeIf(Socket::isClosed);
        return open.size();
    }

    /** Connections accepted since start. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Stops listening and closes every connection, like a crashed backend. */
    public void stop() throws IOException {
        shutDown();
        if (portHolder == null) {
            Socket holder = new Socket();
            holder.setReuseAddress(true);
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            portHolder = holder;
        }
    }

    /** Listens again on the same port. */
    public void restart() throws IOException {
        releasePort();
        server = bind(port);
        acceptLoop(server);
    }

    @Override
    public void close() throws IOException {
        shutDown();
        releasePort();
    }

    private void shutDown() throws IOException {
        server.close();
        try {
            // The JDK closes a listening socket only once its accept call has returned.
            acceptor.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the echo server on port " + port, e);
        }
        for (Socket socket : open) {
            socket.close();
        }
        open.clear();
    }

    private void releasePort() throws IOException {
        Socket holder = portHolder;
        portHolder = null;
        if (holder != null) {
            holder.close();
        }
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        return socket;
    }

    private void acceptLoop(ServerSocket listening) {
        Thread accepting = new Thread(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket socket = listening.accept();
                    accepted.incrementAndGet();
                    open.add(socket);
                    if (listening.isClosed()) {
                        // stop() ran between accept and add, and missed this one.
                        socket.close();
                        continue;
                    }
                    Thread echo = new Thread(() -> echo(socket), "echo-" + port);
                    echo.setDaemon(true);
                    echo.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "echo-accept-" + port);
        accepting.setDaemon(true);
        acceptor = accepting;
        accepting.start();
    }

    private void echo(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            byte[] buffer = new byte[1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (SocketException e) {
            // closed by stop() or reset by the client
        } catch (IOException e) {
            // the connection is gone either way
        } finally {
            open.remove(socket);
        }
    }
}
