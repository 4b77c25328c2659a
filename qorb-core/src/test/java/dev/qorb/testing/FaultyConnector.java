package dev.qorb.testing;

import dev.qorb.Backend;
import dev.qorb.Handle;
import dev.qorb.connector.Connector;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An in-memory connector for fault injection that also watches how the pool uses it. Each
 * hook can be told to fail, to throw an {@link Error}, or to hang — ignoring interrupts as a
 * JDBC driver in a socket read does, or not — and to return late when released. It counts:
 * connections open (made minus closed), calls per hook, calls since a {@linkplain #mark()
 * moment} (to check that nothing but {@code close} runs after a pool closed), calls in flight
 * and the most seen at once, and misuse: a hook called on a connection that is lent out or
 * already closed, a connection closed twice, or lent to two claimers at once. Tests that
 * claim report what they hold with {@link #lend} and {@link #giveBack}.
 *
 * <p>Thread-safety: every method may be called from any thread; the pool calls the hooks
 * concurrently.
 */
public final class FaultyConnector implements Connector<FaultyConnector.Conn> {

    /** The connector's hooks. */
    public enum Hook { CONNECT, IS_VALID, ON_ACQUIRE, ON_RECYCLE, CLOSE }

    /** What a hook does when called. */
    public enum Fault {
        /** Returns at once: a new connection, {@code true}, or nothing. */
        NONE,
        /** Throws an {@link IOException} ({@link ConnectException} for connect): a backend down, a broken connection. */
        FAIL,
        /** {@code isValid} and {@code onRecycle} return {@code false}; the other hooks behave as {@link #NONE}. */
        INVALID,
        /** Throws an {@link AssertionError}, as an {@code assert} in user code does. */
        ASSERTION_ERROR,
        /** Throws a {@link NotImplementedError}, an {@code Error} of its own type, as Kotlin's {@code TODO()} does. */
        CUSTOM_ERROR,
        /** Blocks until {@linkplain #release released}, ignoring interrupts; then returns as {@link #NONE}, late. */
        HANG,
        /** Blocks until released or interrupted; an interrupt throws {@link InterruptedException}. */
        HANG_INTERRUPTIBLY
    }

    /** Kotlin's {@code TODO()} error, to stand for any {@code Error} of a type the pool cannot know. */
    public static final class NotImplementedError extends Error {
        private static final long serialVersionUID = 1L;

        NotImplementedError(String message) {
            super(message);
        }
    }

    /** A fake connection. */
    public static final class Conn {
        public final Backend backend;
        public final int id;
        private final AtomicInteger closes = new AtomicInteger();
        /** Claimers holding it now, as reported through {@link #lend}/{@link #giveBack}. */
        private final AtomicInteger users = new AtomicInteger();

        Conn(Backend backend, int id) {
            this.backend = backend;
            this.id = id;
        }

        public boolean closed() {
            return closes.get() > 0;
        }

        public boolean lent() {
            return users.get() > 0;
        }

        @Override
        public String toString() {
            return "Conn" + id + "@" + backend;
        }
    }

    /** A hung hook gives up after this long, so that a test that forgets to release it does not hold a thread for ever. */
    private static final Duration HANG_LIMIT = Duration.ofSeconds(60);

    private final Map<Hook, Script> scripts = new EnumMap<>(Hook.class);
    private final AtomicInteger made = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger doubleLends = new AtomicInteger();
    private final Violations violations = new Violations();
    private volatile boolean marked;

    public FaultyConnector() {
        for (Hook hook : Hook.values()) {
            scripts.put(hook, new Script());
        }
    }

    /** Makes {@code hook} behave as {@code fault} on every backend. */
    public FaultyConnector set(Hook hook, Fault fault) {
        return set(hook, fault, backend -> true);
    }

    /** Makes {@code hook} behave as {@code fault} on {@code backend} only, normally elsewhere. */
    public FaultyConnector set(Hook hook, Fault fault, Backend backend) {
        return set(hook, fault, backend::equals);
    }

    private FaultyConnector set(Hook hook, Fault fault, Predicate<Backend> where) {
        Script script = scripts.get(hook);
        if (script.gate.getCount() == 0) {
            script.gate = new CountDownLatch(1); // released before: hang anew
        }
        script.where = where;
        script.fault = fault;
        return this;
    }

    /** Lets every call of {@code hook} that hangs now return, late; later calls behave normally. */
    public void release(Hook hook) {
        Script script = scripts.get(hook);
        script.fault = Fault.NONE;
        script.gate.countDown();
    }

    /** Releases every hook; for a test's clean-up. */
    public void releaseAll() {
        for (Hook hook : Hook.values()) {
            release(hook);
        }
    }

    /** From now on, counts calls in {@link #callsSinceMark}; call it just before closing the pool. */
    public void mark() {
        scripts.values().forEach(s -> s.sinceMark.set(0));
        marked = true;
    }

    /** Calls of {@code hook} started since {@link #mark()}; counted when the hook starts running. */
    public int callsSinceMark(Hook hook) {
        return scripts.get(hook).sinceMark.get();
    }

    /** Calls of {@code hook} started so far. */
    public int calls(Hook hook) {
        return scripts.get(hook).calls.get();
    }

    /** Calls of {@code hook} running now (hung ones included). */
    public int inFlight(Hook hook) {
        return scripts.get(hook).inFlight.get();
    }

    /** The most calls of {@code hook} seen running at once. */
    public int maxInFlight(Hook hook) {
        return scripts.get(hook).maxInFlight.get();
    }

    /** The most calls of any hooks seen running at once. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** The threads that have run {@code hook}. */
    public Set<Thread> threads(Hook hook) {
        return Set.copyOf(scripts.get(hook).threads);
    }

    /** Connections made and not yet closed. */
    public int open() {
        return made.get() - closed.get();
    }

    /** Connections made. */
    public int made() {
        return made.get();
    }

    /** Times a connection was lent to a claimer while another held it. */
    public int doubleLends() {
        return doubleLends.get();
    }

    /** Misuse seen: hooks on connections lent out or closed, connections closed twice. Empty when all is well. */
    public List<String> violations() {
        return violations.snapshot();
    }

    /** Records that the test's claimer now holds the handle's connection; returns it. */
    public Conn lend(Handle<Conn> handle) {
        Conn conn = handle.get();
        if (conn.users.incrementAndGet() != 1) {
            doubleLends.incrementAndGet();
            violations.add(conn + " lent to two claimers at once");
        }
        if (conn.closed()) {
            violations.add(conn + " lent after it was closed");
        }
        return conn;
    }

    /** Records that the claimer is done with the connection, then closes or invalidates the handle. */
    public void giveBack(Handle<Conn> handle, boolean invalidate) {
        handle.get().users.decrementAndGet();
        if (invalidate) {
            handle.invalidate();
        } else {
            handle.close();
        }
    }

    /**
     * A view of this connector with only {@code connect}, {@code onAcquire} and {@code close}:
     * the pool sees no recycle check, so a returned connection goes straight back (on the
     * releasing thread, today).
     */
    public Connector<Conn> withoutRecycleCheck() {
        return new WithoutRecycleCheck(this);
    }

    @Override
    public Conn connect(Backend backend) throws Exception {
        Script script = enter(Hook.CONNECT, null);
        try {
            behave(Hook.CONNECT, script, backend);
            return new Conn(backend, made.getAndIncrement());
        } finally {
            leave(script);
        }
    }

    @Override
    public boolean isValid(Conn connection) throws Exception {
        return check(Hook.IS_VALID, connection);
    }

    @Override
    public void onAcquire(Conn connection) throws Exception {
        Script script = enter(Hook.ON_ACQUIRE, connection);
        try {
            behave(Hook.ON_ACQUIRE, script, connection.backend);
        } finally {
            leave(script);
        }
    }

    @Override
    public boolean onRecycle(Conn connection) throws Exception {
        return check(Hook.ON_RECYCLE, connection);
    }

    @Override
    public void close(Conn connection) throws Exception {
        Script script = enter(Hook.CLOSE, connection);
        try {
            // Counted as closed on entry: a close that throws still ends the pool's use of it.
            if (connection.closes.incrementAndGet() == 1) {
                closed.incrementAndGet();
            } else {
                violations.add(connection + " closed twice");
            }
            behave(Hook.CLOSE, script, connection.backend);
        } finally {
            leave(script);
        }
    }

    private boolean check(Hook hook, Conn connection) throws Exception {
        Script script = enter(hook, connection);
        try {
            return behave(hook, script, connection.backend);
        } finally {
            leave(script);
        }
    }

    private Script enter(Hook hook, Conn connection) {
        Script script = scripts.get(hook);
        script.calls.incrementAndGet();
        if (marked) {
            script.sinceMark.incrementAndGet();
        }
        script.threads.add(Thread.currentThread());
        script.maxInFlight.accumulateAndGet(script.inFlight.incrementAndGet(), Math::max);
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        if (connection != null && connection.lent()) {
            violations.add(hook + " on " + connection + " while it was lent out");
        }
        if (connection != null && hook != Hook.CLOSE && connection.closed()) {
            violations.add(hook + " on " + connection + " after it was closed");
        }
        return script;
    }

    private void leave(Script script) {
        script.inFlight.decrementAndGet();
        inFlight.decrementAndGet();
    }

    /** Acts out the hook's fault; returns what a check returns. */
    private static boolean behave(Hook hook, Script script, Backend backend) throws Exception {
        Fault fault = script.where.test(backend) ? script.fault : Fault.NONE;
        String what = hook + " on " + backend + " (injected)";
        switch (fault) {
            case NONE -> {
                return true;
            }
            case INVALID -> {
                return false;
            }
            case FAIL -> throw hook == Hook.CONNECT ? new ConnectException("Connection refused: " + what)
                    : new IOException("failed: " + what);
            case ASSERTION_ERROR -> throw new AssertionError("assertion failed: " + what);
            case CUSTOM_ERROR -> throw new NotImplementedError("An operation is not implemented: " + what);
            case HANG -> Uninterruptibly.await(script.gate, HANG_LIMIT, what);
            case HANG_INTERRUPTIBLY -> {
                if (!script.gate.await(HANG_LIMIT.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException(what + " waited " + HANG_LIMIT + " and was never released");
                }
            }
        }
        return true;
    }

    /** One hook's script and counters. */
    private static final class Script {
        volatile Fault fault = Fault.NONE;
        volatile Predicate<Backend> where = backend -> true;
        /** Opened by {@link #release}; replaced by {@link #set} once open. */
        volatile CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger sinceMark = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    }

    /** Violations, kept to the first hundred so that a broken pool under stress cannot fill the heap. */
    private static final class Violations {
        private static final int KEPT = 100;
        private final ConcurrentLinkedQueue<String> kept = new ConcurrentLinkedQueue<>();
        private final AtomicInteger count = new AtomicInteger();

        void add(String violation) {
            if (count.incrementAndGet() <= KEPT) {
                kept.add(violation);
            }
        }

        List<String> snapshot() {
            List<String> all = new ArrayList<>(kept);
            if (count.get() > KEPT) {
                all.add("... " + (count.get() - KEPT) + " more");
            }
            return all;
        }
    }

    /** See {@link #withoutRecycleCheck()}. */
    private static final class WithoutRecycleCheck implements Connector<Conn> {
        private final FaultyConnector faulty;

        WithoutRecycleCheck(FaultyConnector faulty) {
            this.faulty = faulty;
        }

        @Override
        public Conn connect(Backend backend) throws Exception {
            return faulty.connect(backend);
        }

        @Override
        public void onAcquire(Conn connection) throws Exception {
            faulty.onAcquire(connection);
        }

        @Override
        public void close(Conn connection) throws Exception {
            faulty.close(connection);
        }
    }
}
