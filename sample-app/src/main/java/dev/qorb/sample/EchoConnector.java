package dev.qorb.sample;

import dev.qorb.Backend;
import dev.qorb.connector.Connector;
import java.io.IOException;
import java.net.Socket;
import org.springframework.stereotype.Component;

/**
 * The demo's own protocol client, as an application would write one: connect, and a health
 * check that really talks to the backend.
 */
@Component
public class EchoConnector implements Connector<EchoConnection> {

    @Override
    public EchoConnection connect(Backend backend) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(backend.address(), 1000);
        socket.setSoTimeout(1000);
        return new EchoConnection(socket);
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
