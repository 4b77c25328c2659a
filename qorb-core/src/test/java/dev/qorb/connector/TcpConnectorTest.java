package dev.qorb.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.qorb.Backend;
import dev.qorb.testing.EchoServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpConnectorTest {

    private final TcpConnector connector = new TcpConnector(Duration.ofSeconds(2));

    @Test
    void aLiveIdleConnectionIsValidAndOneWhoseServerDiedIsNot() throws Exception {
        try (EchoServer server = EchoServer.start()) {
            Socket socket = connector.connect(server.backend());
            assertThat(socket.getTcpNoDelay()).isTrue();
            assertThat(connector.isValid(socket)).isTrue();
            socket.getOutputStream().write(42);
            assertThat(socket.getInputStream().read()).isEqualTo(42);
            assertThat(connector.isValid(socket)).isTrue();

            server.stop();
            await().until(() -> !connector.isValid(socket));
            connector.close(socket);
            assertThat(socket.isClosed()).isTrue();
            assertThat(connector.isValid(socket)).isFalse();

            server.restart();
            try (Socket again = connector.connect(server.backend())) {
                again.getOutputStream().write(7);
                assertThat(again.getInputStream().read()).isEqualTo(7);
            }
        }
    }

    @Test
    void unreadBytesMeanTheProtocolIsOutOfStep() throws Exception {
        try (EchoServer server = EchoServer.start(); Socket socket = connector.connect(server.backend())) {
            socket.getOutputStream().write(1);
            await().until(() -> socket.getInputStream().available() > 0);
            assertThat(connector.isValid(socket)).isFalse();
        }
    }

    @Test
    void aClosedPortIsRefused() throws Exception {
        // Below the ephemeral range, so that no client socket of this machine can hold the port.
        Backend gone = null;
        for (int port = 20_000; gone == null && port < 20_100; port++) {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                gone = Backend.of(InetAddress.getLoopbackAddress(), probe.getLocalPort());
            } catch (IOException taken) {
                // in use: try the next
            }
        }
        Backend refused = gone;
        assertThat(refused).isNotNull();
        assertThatThrownBy(() -> connector.connect(refused)).isInstanceOf(ConnectException.class);
    }

    @Test
    void theTimeoutMustBePositive() {
        assertThatThrownBy(() -> new TcpConnector(Duration.ZERO))
                .hasMessage("connectTimeout must be positive but was PT0S");
    }
}
