package dev.qorb.sample;

import dev.qorb.Backend;
import dev.qorb.connector.Connector;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import org.springframework.stereotype.Component;

/**
 * The demo's own protocol client, as an application would write one: connect, and a health
 * check that really talks to the backend.
 *
 * <p>It sets no connect timeout of its own: the pool bounds every connect by the policy's
 * {@code backend.connect-timeout} and interrupts a connect that runs past it. A connect on a
 * {@link SocketChannel} gives up when interrupted (a plain {@code new Socket().connect} would
 * not), so that bound is the only one.
 */
@Component
public class EchoConnector implements Connector<EchoConnection> {

    /**
     * Bound on one read: a backend that stops answering fails the claimer's round trip or the
     * health check instead of hanging it (the pool also bounds health checks).
     */
    static final int READ_TIMEOUT_MILLIS = 1000;

    @Override
    public EchoConnection connect(Backend backend) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.connect(backend.address());
            if (channel.getLocalAddress().equals(channel.getRemoteAddress())) {
                // The demo's backends listen on ephemeral ports: with a backend stopped, the kernel
                // may connect the socket to itself, and it would echo like a backend.
                throw new ConnectException("Connection refused (connected to itself: " + backend + " is down)");
            }
            Socket socket = channel.socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return new EchoConnection(socket);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** An idle connection is healthy when the backend echoes a ping. */
    @Override
    public boolean isValid(EchoConnection connection) throws IOException {
        return connection.roundTrip("ping").equals("ping");
    }

    /** A returned connection only needs to be open; the next claimer finds out the rest. */
    @Override
    public boolean onRecycle(EchoConnection connection) {
        return connection.open();
    }
}
