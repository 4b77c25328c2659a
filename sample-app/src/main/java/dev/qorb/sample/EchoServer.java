package dev.qorb.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One line-echo backend on 127.0.0.1 that can crash (close everything) and come back on the same port. */
final class EchoServer {

    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final int port;
    private volatile ServerSocket listening;

    EchoServer() throws IOException {
        listening = bind(0);
        port = listening.getLocalPort();
        accept(listening);
    }

    int port() {
        return port;
    }

    boolean running() {
        return !listening.isClosed();
    }

    int connections() {
        return open.size();
    }

    synchronized void stop() throws IOException {
        listening.close();
        for (Socket socket : open) {
            socket.close();
        }
    }

    synchronized void start() throws IOException {
        if (!running()) {
            listening = bind(port);
            accept(listening);
        }
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private void accept(ServerSocket server) {
        daemon("echo-accept-" + port, () -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    open.add(socket);
                    if (server.isClosed()) {
                        socket.close(); // stop() ran between accept and add, and missed this one
                        continue;
                    }
                    daemon("echo-" + port, () -> echo(socket));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void echo(Socket socket) {
        try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.UTF_8)); OutputStream out = socket.getOutputStream()) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // crashed, or closed by the client
        } finally {
            open.remove(socket);
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
