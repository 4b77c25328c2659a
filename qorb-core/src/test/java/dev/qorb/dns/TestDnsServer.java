package dev.qorb.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An authoritative DNS responder on 127.0.0.1, over UDP and TCP on the same port the OS
 * chose, speaking the real wire protocol with dnsjava's message classes. Records can be
 * added and removed while it runs, and it can be switched to answer SERVFAIL, to drop
 * queries (timeouts), or to send garbage. Test code only.
 */
final class TestDnsServer implements AutoCloseable {

    enum Mode { ANSWER, SERVFAIL, DROP, GARBAGE }

    static final Name ZONE = name("test.example.");

    private final List<Record> records = new CopyOnWriteArrayList<>();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    /** Kept, so that a closed server still names the port it had. */
    private final int port;
    volatile Mode mode = Mode.ANSWER;
    /** Whether SRV answers carry the targets' addresses in the additional section. */
    volatile boolean additional = true;
    /** The SOA's TTL and minimum in empty answers: their negative TTL (RFC 2308). */
    volatile long negativeTtl = 5;
    /** A record type answered with SERVFAIL whatever the mode, or -1 for none. */
    volatile int servfailType = -1;
    final AtomicInteger udpQueries = new AtomicInteger();
    /** When each UDP query arrived ({@link System#nanoTime()}). */
    final List<Long> udpQueryTimes = new CopyOnWriteArrayList<>();
    final AtomicInteger tcpQueries = new AtomicInteger();

    TestDnsServer() throws IOException {
        DatagramSocket boundUdp = null;
        ServerSocket boundTcp = null;
        // UDP and TCP must share the port number; retry if TCP finds it taken.
        for (int attempt = 0; attempt < 20 && boundTcp == null; attempt++) {
            boundUdp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                boundTcp = new ServerSocket();
                boundTcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), boundUdp.getLocalPort()));
            } catch (IOException e) {
                boundUdp.close();
                boundTcp = null;
            }
        }
        if (boundTcp == null) {
            throw new IOException("no port free for both UDP and TCP");
        }
        this.udp = boundUdp;
        this.tcp = boundTcp;
        this.port = boundUdp.getLocalPort();
        daemon("dns-udp", this::serveUdp);
        daemon("dns-tcp", this::serveTcp);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    static Name name(String text) {
        try {
            return Name.fromString(text, ZONE);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    TestDnsServer srv(String service, int priority, int weight, int port, String target, long ttl) {
        records.add(new SRVRecord(name(service), DClass.IN, ttl, priority, weight, port, name(target)));
        return this;
    }

    TestDnsServer host(String host, String address, long ttl) throws IOException {
        InetAddress ip = InetAddress.getByName(address);
        records.add(ip.getAddress().length == 16 ? new AAAARecord(name(host), DClass.IN, ttl, ip)
                : new ARecord(name(host), DClass.IN, ttl, ip));
        return this;
    }

    /** Removes every record of {@code owner} (and of that type, if given). */
    TestDnsServer remove(String owner, int type) {
        records.removeIf(r -> r.getName().equals(name(owner)) && (type == Type.ANY || r.getType() == type));
        return this;
    }

    private void serveUdp() {
        byte[] buffer = new byte[4096];
        while (!udp.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                udpQueryTimes.add(System.nanoTime());
                udpQueries.incrementAndGet();
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                byte[] reply = reply(query, true);
                if (reply != null) {
                    udp.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                // closed, or an unreadable query: keep serving
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket socket = tcp.accept()) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                byte[] data = new byte[in.readUnsignedShort()];
                in.readFully(data);
                tcpQueries.incrementAndGet();
                byte[] reply = reply(new Message(data), false);
                if (reply != null) {
                    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                    out.writeShort(reply.length);
                    out.write(reply);
                    out.flush();
                }
            } catch (IOException e) {
                // closed, or the client went away
            }
        }
    }

    private byte[] reply(Message query, boolean overUdp) {
        switch (mode) {
            case DROP:
                return null;
            case GARBAGE:
                byte[] garbage = new byte[40];
                garbage[0] = (byte) (query.getHeader().getID() >> 8);
                garbage[1] = (byte) query.getHeader().getID();
                Arrays.fill(garbage, 2, garbage.length, (byte) 0xff);
                return garbage;
            default:
                break;
        }
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.addRecord(question, Section.QUESTION);
        if (mode == Mode.SERVFAIL || question.getType() == servfailType) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response.toWire();
        }
        List<Record> answers = new ArrayList<>();
        boolean nameExists = false;
        for (Record r : records) {
            if (r.getName().equals(question.getName())) {
                nameExists = true;
                if (r.getType() == question.getType()) {
                    answers.add(r);
                }
            }
        }
        if (!nameExists) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        answers.forEach(r -> response.addRecord(r, Section.ANSWER));
        if (answers.isEmpty()) {
            response.addRecord(new SOARecord(ZONE, DClass.IN, negativeTtl, name("ns1"), name("hostmaster"), 1, 3600,
                    600, 86400, negativeTtl), Section.AUTHORITY);
        }
        if (additional && question.getType() == Type.SRV) {
            for (Record answer : answers) {
                Name target = ((SRVRecord) answer).getTarget();
                records.stream().filter(r -> r.getName().equals(target)
                        && (r.getType() == Type.A || r.getType() == Type.AAAA))
                        .forEach(r -> response.addRecord(r, Section.ADDITIONAL));
            }
        }
        OPTRecord opt = query.getOPT();
        int max = !overUdp ? 65535 : opt == null ? 512 : opt.getPayloadSize();
        return response.toWire(max);
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
