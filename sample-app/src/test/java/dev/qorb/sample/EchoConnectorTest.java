package dev.qorb.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qorb.Backend;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The demo's connector against real sockets on loopback. */
class EchoConnectorTest {

    private final EchoConnector connector = new EchoConnector();

    @Test
    void connectsAndEchoes() throws Exception {
        EchoServer server = new EchoServer();
        try (EchoConnection connection = connector.connect(Backend.of("127.0.0.1", server.port()))) {
            assertThat(connection.roundTrip("hello")).isEqualTo("hello");
            assertThat(connector.isValid(connection)).isTrue();
        } finally {
            server.stop();
        }
    }

    /**
     * The connector has no connect timeout of its own: the pool's {@code backend.connect-timeout}
     * bounds it by interrupting the connect, and the connect must then give up at once (a
     * {@code Socket.connect} with its own timeout would ignore the interrupt until that ran out).
     */
    @Test
    void aHangingConnectWaitsForThePoolsBoundAndEndsWhenInterrupted() throws Exception {
        // A listener whose accept queue is full and never drained: Linux drops further SYNs, so a
        // connect to it hangs, as one to an unreachable host would.
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = fillAcceptQueue(listener);
            try {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                CountDownLatch ended = new CountDownLatch(1);
                Thread connecting = new Thread(() -> {
                    try {
                        connector.connect(Backend.of("127.0.0.1", listener.getLocalPort())).close();
                    } catch (Throwable e) {
                        failure.set(e);
                    } finally {
                        ended.countDown();
                    }
                }, "echo-connect");
                connecting.start();
                // It does not give up by itself (the old connector did, after a hard-coded second).
                assertThat(ended.await(1500, TimeUnit.MILLISECONDS)).as("connect ended by itself: %s", failure)
                        .isFalse();
                connecting.interrupt();
                assertThat(ended.await(5, TimeUnit.SECONDS)).as("connect ended when interrupted").isTrue();
                assertThat(failure.get()).isInstanceOf(ClosedByInterruptException.class);
            } finally {
                for (Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }

    private static List<Socket> fillAcceptQueue(ServerSocket listener) throws IOException {
        List<Socket> queued = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 200);
                queued.add(socket);
            } catch (SocketTimeoutException full) {
                socket.close();
                return queued;
            }
        }
        throw new IllegalStateException("the accept queue never filled: connects to a full listener do not hang here");
    }
}
