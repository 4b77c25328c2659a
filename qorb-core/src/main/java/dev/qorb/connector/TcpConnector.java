package dev.qorb.connector;

import dev.qorb.Backend;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * Plain TCP connections, as {@link Socket}s in blocking mode, with {@code TCP_NODELAY} and
 * keep-alive on.
 *
 * <p>{@link #isValid} is cheap and exact for request/response protocols: it reads the idle
 * socket without blocking, and a peer that closed (end of stream), reset the connection, or
 * sent bytes nobody asked for (a protocol out of step) makes the connection invalid. It is
 * also the default {@code onRecycle}.
 *
 * <p>What that check cannot see: a peer that is alive at the TCP level but does not answer
 * (a stopped or hung process, a full accept queue, a black-holed route with the kernel's
 * state still up). Its connections look idle and healthy. Only a request sees it: give your
 * reads a timeout, and report a connection that timed out with
 * {@link dev.qorb.Handle#invalidate(Throwable)}, so that the pool counts it against the
 * backend and ejects a backend whose connections keep failing
 * ({@link dev.qorb.BackendPolicy#ejectAfterFailures()}). A protocol with a ping can override
 * {@code isValid} to send one.
 */
public class TcpConnector implements Connector<Socket> {

    private final Duration connectTimeout;

    /**
     * @param connectTimeout bound on the TCP handshake; keep it below the policy's
     *     {@code connectTimeout} so that the socket gives up before the pool does
     */
    public TcpConnector(Duration connectTimeout) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive but was " + connectTimeout);
        }
    }

    /** A connector whose TCP handshake gives up after 5 seconds. */
    public TcpConnector() {
        this(Duration.ofSeconds(5));
    }

    @Override
    public Socket connect(Backend backend) throws IOException {
        // Opened as a channel so that isValid can peek without blocking; the caller gets its
        // blocking Socket view, which supports read timeouts.
        SocketChannel channel = SocketChannel.open();
        try {
            Socket socket = channel.socket();
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(backend.address(), (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            if (socket.getLocalSocketAddress().equals(socket.getRemoteSocketAddress())) {
                // TCP simultaneous open: with nothing listening on a loopback port in the ephemeral
                // range, the kernel may pick that very port for us and connect the socket to itself.
                throw new ConnectException("Connection refused (connected to itself: nothing listens on "
                        + backend + ")");
            }
            configure(socket);
            return socket;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Hook for subclasses to set socket options after connecting (timeouts, buffers). */
    protected void configure(Socket socket) throws SocketException {
    }

    @Override
    public boolean isValid(Socket socket) throws IOException {
        SocketChannel channel = socket.getChannel();
        if (socket.isClosed() || !socket.isConnected() || channel == null) {
            return false;
        }
        channel.configureBlocking(false);
        try {
            return channel.read(ByteBuffer.allocate(1)) == 0;
        } catch (IOException e) {
            return false;
        } finally {
            if (channel.isOpen()) {
                channel.configureBlocking(true);
            }
        }
    }
}
