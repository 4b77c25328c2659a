package dev.qorb.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * The test backend's own contract: a stopped server refuses connects as a crashed backend
 * does, but keeps its port, so that no client socket takes it meanwhile and the restart binds.
 */
class EchoServerTest {

    @Test
    void aStoppedServerRefusesConnectsKeepsItsPortAndRestartsOnIt() throws IOException {
        try (EchoServer server = EchoServer.start()) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
            try (Socket client = new Socket()) {
                client.connect(address, 1_000);
            }
            server.stop();

            assertThatThrownBy(() -> {
                try (Socket client = new Socket()) {
                    client.connect(address, 1_000);
                }
            }).isInstanceOf(ConnectException.class);
            // A socket without SO_REUSEADDR, as the OS hands out ephemeral ports, cannot have it.
            assertThatThrownBy(() -> {
                try (Socket other = new Socket()) {
                    other.bind(address);
                }
            }).isInstanceOf(BindException.class);

            server.restart();
            try (Socket client = new Socket()) {
                client.connect(address, 1_000);
                client.getOutputStream().write(7);
                assertThat(client.getInputStream().read()).isEqualTo(7);
            }
        }
    }
}
