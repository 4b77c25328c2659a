package dev.qorb;

import static dev.qorb.testing.FaultyConnector.Fault.HANG;
import static dev.qorb.testing.FaultyConnector.Hook.CLOSE;
import static dev.qorb.testing.FaultyConnector.Hook.CONNECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qorb.connector.Connector;
import dev.qorb.connector.TcpConnector;
import dev.qorb.resolver.FixedResolver;
import dev.qorb.testing.EchoServer;
import dev.qorb.testing.FaultyConnector;
import dev.qorb.testing.FaultyConnector.Conn;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where connector calls run and how many: {@code close} never on a caller's thread, one call
 * per slot, a few per pool, and a pool whose backend hangs cannot take the threads another
 * pool needs. Issue 9, item 5 and "Threads: no pool can starve another".
 */
class ConnectorThreadsTest {

    private static final Backend A = Backend.of("127.0.0.1", 7001);
    private static final Duration SHORT_CONNECT_TIMEOUT = Duration.ofMillis(100);

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final List<FaultyConnector> connectors = new ArrayList<>();
    private final ExecutorService callers = Executors.newCachedThreadPool(task -> new Thread(task, "test-caller"));

    @AfterEach
    void tearDown() throws Exception {
        // Hung hooks first: they may hold the threads every pool in this JVM shares.
        connectors.forEach(FaultyConnector::releaseAll);
        for (AutoCloseable closeable : cleanup) {
            closeable.close();
        }
        callers.shutdownNow();
        assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private FaultyConnector connector() {
        FaultyConnector connector = new FaultyConnector();
        connectors.add(connector);
        return connector;
    }

    private <C> Pool<C> pool(String name, Connector<C> connector, Backend backend, Policy.Builder policy) {
        Pool<C> pool = Pool.builder(name, connector).resolver(FixedResolver.of(backend)).policy(policy.build()).build();
        cleanup.add(0, pool);
        return pool;
    }

    private static Policy.Builder slots(int slots) {
        return Policy.builder().maxSlots(slots).sparesWanted(slots)
                .backend(b -> b.maxSlots(slots).minBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(10))
                        .connectTimeout(SHORT_CONNECT_TIMEOUT).noHealthChecks());
    }

    /** Item 5: pool.close() returns at once even when Connector.close hangs; close runs on the pool's threads. */
    @Test
    void poolCloseLeavesConnectorCloseToThePoolsThreads() throws Exception {
        FaultyConnector connector = connector();
        Pool<Conn> pool = pool("slow-close", connector, A, slots(2));
        await().until(() -> pool.stats().unclaimed() == 2);
        connector.set(CLOSE, HANG);

        AtomicReference<Thread> caller = new AtomicReference<>();
        Future<?> closing = callers.submit(() -> {
            caller.set(Thread.currentThread());
            pool.close();
        });

        assertThat(closing).as("pool.close() while Connector.close hangs").succeedsWithin(Duration.ofSeconds(2));
        await().until(() -> connector.inFlight(CLOSE) == 2);
        assertThat(connector.threads(CLOSE)).doesNotContain(caller.get());
        connector.release(CLOSE);
        assertThat(pool.awaitTermination(Duration.ofSeconds(5))).isTrue();
        assertThat(connector.open()).isZero();
    }

    /**
     * Item 5: giving back a connection the pool no longer wants (its backend drained) returns
     * at once even when Connector.close hangs. Without a recycle check the pool used to close
     * it right there, on the releasing thread.
     */
    @Test
    void returningAConnectionOfADrainedBackendLeavesItsCloseToThePoolsThreads() throws Exception {
        FaultyConnector connector = connector();
        Pool<Conn> pool = pool("slow-close", connector.withoutRecycleCheck(), A, slots(1));
        Handle<Conn> held = pool.claim(Duration.ofSeconds(5));
        assertThat(pool.drain(A.toString())).isTrue();
        connector.set(CLOSE, HANG);

        AtomicReference<Thread> releaser = new AtomicReference<>();
        Future<?> returning = callers.submit(() -> {
            releaser.set(Thread.currentThread());
            held.close();
        });

        assertThat(returning).as("Handle.close() while Connector.close hangs").succeedsWithin(Duration.ofSeconds(2));
        await().until(() -> connector.inFlight(CLOSE) == 1);
        assertThat(connector.threads(CLOSE)).doesNotContain(releaser.get());
        connector.release(CLOSE);
        assertThat(connector.open()).isZero();
    }

    /**
     * Item 5: a claimer that meets an idle connection the pool is retiring does not close it
     * itself. Draining the backend retires its four idle connections; the first close hangs,
     * so the other three wait, retired and idle, while the claim comes.
     */
    @Test
    void aClaimerMeetingARetiredConnectionLeavesItsCloseToThePoolsThreads() {
        FaultyConnector connector = connector();
        Pool<Conn> pool = pool("slow-close", connector, A, slots(4));
        await().until(() -> pool.stats().unclaimed() == 4);
        connector.set(CLOSE, HANG);
        assertThat(pool.drain(A.toString())).isTrue();
        await().until(() -> connector.inFlight(CLOSE) >= 1);

        AtomicReference<Thread> claimer = new AtomicReference<>();
        Future<?> claiming = callers.submit(() -> {
            claimer.set(Thread.currentThread());
            try {
                pool.claim(Duration.ofMillis(500)).close();
            } catch (ClaimException e) {
                // the backend is drained: failing at the deadline is right
            }
        });

        assertThat(claiming).as("a 500 ms claim while Connector.close hangs").succeedsWithin(Duration.ofSeconds(3));
        assertThat(connector.threads(CLOSE)).doesNotContain(claimer.get());
    }

    /**
     * No pool can starve another: pool A's connects hang ignoring interrupts (as a JDBC
     * driver's do against a black-holed backend), and pool B, on the same default threads
     * with a healthy backend, must still connect and serve a claim within seconds.
     */
    @Test
    void aPoolWhoseConnectsHangCannotStarvePoolsSharingItsThreads() throws Exception {
        FaultyConnector hanging = connector().set(CONNECT, HANG);
        pool("black-holed", hanging, A, slots(64));
        await().until(() -> hanging.inFlight(CONNECT) >= 4);

        EchoServer server = EchoServer.start();
        cleanup.add(server);
        Pool<Socket> healthy = pool("healthy", new TcpConnector(Duration.ofSeconds(2)), server.backend(),
                Policy.builder());
        try (Handle<Socket> handle = healthy.claim(Duration.ofSeconds(5))) {
            byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
            handle.get().getOutputStream().write(ping);
            assertThat(handle.get().getInputStream().readNBytes(ping.length)).isEqualTo(ping);
        }
    }

    /**
     * At most one connector call in flight per slot: a connect that timed out but ignores
     * interrupts still holds its slot, which must not start another connect until it returns.
     */
    @Test
    void aTimedOutConnectThatIgnoresInterruptsIsNotFollowedByAnotherUntilItReturns() {
        FaultyConnector connector = connector().set(CONNECT, HANG);
        Pool<Conn> pool = pool("one-slot", connector, A, slots(1));
        await().until(() -> connector.inFlight(CONNECT) >= 1);

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(connector.maxInFlight(CONNECT)).as("connects in flight on the only slot, %s timeout each",
                        SHORT_CONNECT_TIMEOUT).isEqualTo(1));
        connector.release(CONNECT);
        try (Handle<Conn> handle = pool.claim(Duration.ofSeconds(5))) {
            assertThat(handle.get().closed()).isFalse();
        }
        assertThat(connector.maxInFlight(CONNECT)).isEqualTo(1);
    }

    /** A pool runs at most four connector calls at once by default, however many slots hang. */
    @Test
    void aPoolHasAtMostFourConnectorCallsInFlightByDefault() {
        FaultyConnector connector = connector().set(CONNECT, HANG);
        Pool<Conn> pool = pool("bounded", connector, A, slots(16));
        await().until(() -> connector.inFlight(CONNECT) >= 1);

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(connector.maxInFlight(CONNECT)).as("connects in flight in one pool").isLessThanOrEqualTo(4));
        connector.release(CONNECT);
        await().until(() -> pool.stats().unclaimed() == 16);
    }

    /**
     * A connect's time bound starts when it is submitted, not when a thread picks it up: with
     * the pool's only thread held by a hung connect, the queued connect of the other slot
     * times out and counts as a failure without ever running.
     */
    @Test
    void theConnectTimeoutCountsFromSubmissionNotFromWhenAThreadIsFree() throws Exception {
        FaultyConnector connector = connector().set(CONNECT, HANG);
        ExecutorService oneThread = Executors.newSingleThreadExecutor();
        cleanup.add(oneThread::shutdownNow);
        Pool<Conn> pool = Pool.builder("queued", connector).resolver(FixedResolver.of(A)).executor(oneThread)
                .policy(slots(2).build()).build();
        cleanup.add(0, pool);
        await().until(() -> connector.inFlight(CONNECT) == 1);

        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(pool.stats().connectFailures())
                .as("connects timed out (%s each) while one hangs on the only thread", SHORT_CONNECT_TIMEOUT)
                .isGreaterThanOrEqualTo(2));
        assertThat(connector.calls(CONNECT)).isEqualTo(1);
    }
}
