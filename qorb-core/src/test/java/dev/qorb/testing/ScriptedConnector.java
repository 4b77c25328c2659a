package dev.qorb.testing;

import dev.qorb.Backend;
import dev.qorb.connector.Connector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory connector whose hooks a test scripts: each can be made to fail or to block
 * until released, and every connection it makes is recorded so that tests can check what
 * was closed. For fault injection; real connections are tested with {@code TcpConnector}.
 */
public final class ScriptedConnector implements Connector<ScriptedConnector.Conn> {

    /** A fake connection. */
    public static final class Conn {
        public final Backend backend;
        public final int id;
        private volatile boolean closed;
        /** How many callers hold it now; more than one is a pool bug. */
        public final AtomicInteger users = new AtomicInteger();

        Conn(Backend backend, int id) {
            this.backend = backend;
            this.id = id;
        }

        public boolean closed() {
            return closed;
        }

        @Override
        public String toString() {
            return "Conn" + id + "@" + backend;
        }
    }

    /** What a hook does when called. */
    public enum Behaviour { OK, FAIL, BLOCK }

    public volatile Behaviour connect = Behaviour.OK;
    public volatile Behaviour isValid = Behaviour.OK;
    public volatile Behaviour onAcquire = Behaviour.OK;
    public volatile Behaviour onRecycle = Behaviour.OK;
    /** Released to let blocked hooks return (they also return when interrupted). */
    public volatile CountDownLatch gate = new CountDownLatch(1);
    public final AtomicInteger connects = new AtomicInteger();
    public final AtomicInteger isValidCalls = new AtomicInteger();
    public final AtomicInteger onAcquireCalls = new AtomicInteger();
    public final AtomicInteger onRecycleCalls = new AtomicInteger();
    public final List<Conn> made = new CopyOnWriteArrayList<>();
    /** Counts hooks that are blocked right now. */
    public final AtomicInteger blocked = new AtomicInteger();

    @Override
    public Conn connect(Backend backend) throws Exception {
        connects.incrementAndGet();
        behave(connect, "connect");
        Conn conn = new Conn(backend, made.size());
        made.add(conn);
        return conn;
    }

    @Override
    public boolean isValid(Conn connection) throws Exception {
        isValidCalls.incrementAndGet();
        behave(isValid, "isValid");
        return true;
    }

    @Override
    public void onAcquire(Conn connection) throws Exception {
        onAcquireCalls.incrementAndGet();
        behave(onAcquire, "onAcquire");
    }

    @Override
    public boolean onRecycle(Conn connection) throws Exception {
        onRecycleCalls.incrementAndGet();
        behave(onRecycle, "onRecycle");
        return true;
    }

    @Override
    public void close(Conn connection) {
        connection.closed = true;
    }

    /** Connections made and not closed. */
    public long open() {
        return made.stream().filter(c -> !c.closed()).count();
    }

    private void behave(Behaviour behaviour, String hook) throws Exception {
        switch (behaviour) {
            case OK -> { }
            case FAIL -> throw new java.io.IOException(hook + " failed (scripted)");
            case BLOCK -> {
                blocked.incrementAndGet();
                try {
                    gate.await();
                } finally {
                    blocked.decrementAndGet();
                }
            }
        }
    }
}
