package dev.qorb.sample;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/**
 * A small authoritative DNS server for the zone {@code demo.qorb.test.} over UDP on 127.0.0.1,
 * so that the demo's pool finds its backends the way a service on Kubernetes or Consul would:
 * an SRV record per backend ({@code _echo._tcp.demo.qorb.test}) pointing at
 * {@code backend-N.demo.qorb.test}, whose A record is 127.0.0.1. Records have a 2 s TTL and
 * can be added and removed while it runs. Answers are small, so UDP is enough.
 */
final class DemoDnsServer implements AutoCloseable {

    static final String SERVICE = "_echo._tcp.demo.qorb.test.";
    private static final Name ZONE = name("demo.qorb.test.");
    private static final long TTL = 2;

    private final List<Record> records = new CopyOnWriteArrayList<>();
    private final DatagramSocket socket;

    DemoDnsServer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread thread = new Thread(this::serve, "demo-dns");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
    }

    /** Publishes backend {@code id} on {@code port}. */
    void add(int id, int port) {
        remove(id);
        Name host = host(id);
        records.add(new SRVRecord(name(SERVICE), DClass.IN, TTL, 0, 10, port, host));
        records.add(new ARecord(host, DClass.IN, TTL, InetAddress.getLoopbackAddress()));
    }

    /** Withdraws backend {@code id}; pools drop it when its TTL has run out. */
    void remove(int id) {
        Name host = host(id);
        records.removeIf(r -> r.getName().equals(host) || r instanceof SRVRecord srv && srv.getTarget().equals(host));
    }

    boolean published(int id) {
        return records.stream().anyMatch(r -> r.getName().equals(host(id)));
    }

    private static Name host(int id) {
        return name("backend-" + id + ".demo.qorb.test.");
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void serve() {
        byte[] buffer = new byte[1500];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                byte[] reply = answer(new Message(Arrays.copyOf(packet.getData(), packet.getLength())));
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException e) {
                // closed, or a query we cannot read: keep serving
            }
        }
    }

    private byte[] answer(Message query) {
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.addRecord(question, Section.QUESTION);
        boolean exists = false;
        for (Record record : records) {
            if (record.getName().equals(question.getName())) {
                exists = true;
                if (record.getType() == question.getType()) {
                    response.addRecord(record, Section.ANSWER);
                }
            }
        }
        if (!exists) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        if (response.getSection(Section.ANSWER).isEmpty()) {
            response.addRecord(new SOARecord(ZONE, DClass.IN, TTL, name("ns.demo.qorb.test."),
                    name("admin.demo.qorb.test."), 1, 60, 60, 60, TTL), Section.AUTHORITY);
        }
        return response.toWire(512);
    }

    @Override
    public void close() {
        socket.close();
    }
}
