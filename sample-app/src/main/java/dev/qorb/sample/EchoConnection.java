package dev.qorb.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A connection to a line-echo backend: each line sent comes back. */
public final class EchoConnection implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    EchoConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = socket.getOutputStream();
    }

    /** Sends {@code line} and returns what came back. */
    public String roundTrip(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String reply = in.readLine();
        if (reply == null) {
            throw new IOException("the backend closed the connection");
        }
        return reply;
    }

    boolean open() {
        return !socket.isClosed() && socket.isConnected() && !socket.isInputShutdown();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
