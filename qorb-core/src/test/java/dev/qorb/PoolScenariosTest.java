package dev.qorb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.qorb.connector.TcpConnector;
import dev.qorb.resolver.FixedResolver;
import dev.qorb.testing.EchoServer;
import dev.qorb.testing.MutableResolver;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** qorb's own scenarios, through the public API, with real TCP connections on loopback. */
class PoolScenariosTest {

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final ExecutorService claimers = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() throws Exception {
        claimers.shutdownNow();
        assertThat(claimers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        for (AutoCloseable closeable : cleanup) {
            closeable.close();
        }
    }

    private EchoServer server() throws IOException {
        EchoServer server = EchoServer.start();
        cleanup.add(server);
        return server;
    }

    private Pool<Socket> pool(dev.qorb.resolver.Resolver resolver, Policy policy) {
        Pool<Socket> pool = Pool.builder("orders", new TcpConnector(Duration.ofSeconds(2)))
                .resolver(resolver).policy(policy).build();
        cleanup.add(0, pool);
        return pool;
    }

    private static String echo(Handle<Socket> handle, String text) throws IOException {
        Socket socket = handle.get();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(bytes);
        return new String(socket.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8);
    }

    @Test
    void claimFromOneBackendTalksToIt() throws Exception {
        EchoServer server = server();
        Pool<Socket> pool = pool(FixedResolver.of(server.backend()), Policy.defaults());

        try (Handle<Socket> handle = pool.claim()) {
            assertThat(handle.backend()).isEqualTo(server.backend());
            assertThat(echo(handle, "hello")).isEqualTo("hello");
        }

        await().untilAsserted(() -> {
            PoolStats stats = pool.stats();
            assertThat(stats.state()).isEqualTo(PoolState.RUNNING);
            assertThat(stats.claims()).isEqualTo(1);
            BackendStats backend = stats.backends().get(server.backend().toString());
            assertThat(backend.online()).isTrue();
            assertThat(backend.claims()).isEqualTo(1);
            // Spares wanted, on the only backend (one more while the claim counted at the last rebalance).
            assertThat(backend.unclaimed()).isBetween(8, 9);
            assertThat(server.openConnections()).isEqualTo(backend.slots());
        });
    }

    @Test
    void claimBeforeAnyBackendAppearsWaitsThenSucceeds() throws Exception {
        MutableResolver resolver = new MutableResolver();
        Pool<Socket> pool = pool(resolver, Policy.defaults());
        Future<Backend> claimed = claimers.submit(() -> {
            try (Handle<Socket> handle = pool.claim(Duration.ofSeconds(20))) {
                return handle.backend();
            }
        });
        await().until(() -> pool.stats().waiting() == 1);
        assertThat(claimed).isNotDone();

        EchoServer server = server();
        resolver.add(server.backend());

        assertThat(claimed.get(20, TimeUnit.SECONDS)).isEqualTo(server.backend());
    }

    @Test
    void waitersAreServedInArrivalOrderAsConnectionsReturn() throws Exception {
        EchoServer server = server();
        Pool<Socket> pool = pool(FixedResolver.of(server.backend()),
                Policy.builder().maxSlots(2).sparesWanted(2).build());
        List<Handle<Socket>> handles = new CopyOnWriteArrayList<>(List.of(pool.claim(), pool.claim()));
        List<Integer> servedOrder = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            int id = i;
            claimers.submit(() -> {
                Handle<Socket> handle = pool.claim(Duration.ofSeconds(20));
                servedOrder.add(id);
                handles.add(handle);
                return null;
            });
            // Queue them one after the other so that their arrival order is known.
            await().until(() -> pool.stats().waiting() == id + 1);
        }

        // Each returning connection goes to the oldest waiter: release one at a time, in any order.
        for (int served = 1; served <= 5; served++) {
            handles.remove(served % 2 == 0 ? handles.size() - 1 : 0).close();
            int expected = served;
            await().until(() -> servedOrder.size() == expected);
        }
        assertThat(servedOrder).containsExactly(0, 1, 2, 3, 4);
        handles.forEach(Handle::close);
    }

    @Test
    void backendSwapClosesTheOldOnesConnectionsAndMovesClaimsToTheNew() throws Exception {
        EchoServer old = server();
        EchoServer replacement = server();
        MutableResolver resolver = new MutableResolver().add(old.backend());
        Pool<Socket> pool = pool(resolver, Policy.builder().sparesWanted(4).build());
        Handle<Socket> held = pool.claim();
        assertThat(held.backend()).isEqualTo(old.backend());
        await().until(() -> old.openConnections() == pool.stats().slots() && old.openConnections() > 1);

        resolver.add(replacement.backend()).remove(old.backend());

        // Idle connections to the old backend close at once; the claimed one stays usable.
        await().until(() -> old.openConnections() == 1);
        assertThat(echo(held, "still works")).isEqualTo("still works");
        try (Handle<Socket> handle = pool.claim()) {
            assertThat(handle.backend()).isEqualTo(replacement.backend());
        }
        held.close();
        await().until(() -> old.openConnections() == 0);
        assertThat(pool.stats().backends()).containsOnlyKeys(replacement.backend().toString());
    }

    @Test
    void closeClosesIdleConnectionsAndFailsWaitingAndLaterClaims() throws Exception {
        EchoServer server = server();
        Pool<Socket> pool = pool(FixedResolver.of(server.backend()),
                Policy.builder().maxSlots(1).sparesWanted(1).build());
        Handle<Socket> held = pool.claim();
        Future<?> waiting = claimers.submit(() -> pool.claim(Duration.ofSeconds(30)));
        await().until(() -> pool.stats().waiting() == 1);

        pool.close();

        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClaimException.class)
                .cause().extracting(e -> ((ClaimException) e).kind()).isEqualTo(ClaimException.Kind.POOL_CLOSED);
        assertThatThrownBy(pool::claim).isInstanceOfSatisfying(ClaimException.class,
                e -> assertThat(e.kind()).isEqualTo(ClaimException.Kind.POOL_CLOSED));
        assertThat(pool.state()).isEqualTo(PoolState.STOPPING);
        assertThat(pool.awaitTermination(Duration.ofMillis(1))).isFalse();

        held.close();
        assertThat(pool.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(pool.state()).isEqualTo(PoolState.STOPPED);
        await().until(() -> server.openConnections() == 0);
    }

    @Test
    void closingThePoolClosesEveryConnectionAtTheServer() throws Exception {
        List<EchoServer> servers = List.of(server(), server(), server());
        Pool<Socket> pool = pool(FixedResolver.of(servers.stream().map(EchoServer::backend).toArray(Backend[]::new)),
                Policy.builder().maxSlots(12).sparesWanted(9).rebalanceInterval(Duration.ofMillis(100)).build());
        List<Handle<Socket>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(pool.claim());
        }
        await().untilAsserted(() -> assertThat(servers.stream().mapToInt(EchoServer::openConnections).sum())
                .as("%s", pool.stats()).isEqualTo(12));

        pool.close();
        held.forEach(Handle::close);

        assertThat(pool.awaitTermination(Duration.ofSeconds(10))).isTrue();
        await().until(() -> servers.stream().mapToInt(EchoServer::openConnections).sum() == 0);
        assertThat(servers.stream().mapToInt(EchoServer::acceptedConnections).sum()).isEqualTo(12);
    }

    @Test
    void noBackendsWhenTheResolverReportsNone() {
        Pool<Socket> pool = pool(new MutableResolver(), Policy.defaults());

        assertThatThrownBy(() -> pool.claim(Duration.ofMillis(100)))
                .isInstanceOfSatisfying(ClaimException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ClaimException.Kind.NO_BACKENDS);
                    assertThat(e.pool()).isEqualTo("orders");
                    assertThat(e.getMessage()).startsWith("pool 'orders': no backends: the resolver")
                            .contains("reports none").contains("waited");
                });
    }

    @Test
    void noBackendsOnlineNamesTheLastErrorAndFailsFastOnceThePoolFailed() throws Exception {
        EchoServer server = server();
        Backend down = server.backend();
        server.stop();
        Pool<Socket> pool = pool(FixedResolver.of(down), Policy.defaults());

        await().until(() -> pool.state() == PoolState.FAILED);
        long start = System.nanoTime();
        assertThatThrownBy(() -> pool.claim(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(ClaimException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ClaimException.Kind.NO_BACKENDS_ONLINE);
                    assertThat(e.getMessage()).isEqualTo("pool 'orders': 1 backend known, none online; last error from "
                            + down + ": ConnectException: Connection refused");
                });
        // Failing fast: nowhere near the 30 s claim timeout.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

        server.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.state() == PoolState.RUNNING);
        try (Handle<Socket> handle = pool.claim()) {
            assertThat(echo(handle, "back")).isEqualTo("back");
        }
    }

    @Test
    void allClaimsUsedWhenEveryConnectionStaysClaimed() throws Exception {
        EchoServer server = server();
        Pool<Socket> pool = pool(FixedResolver.of(server.backend()),
                Policy.builder().maxSlots(2).sparesWanted(1).build());
        Handle<Socket> a = pool.claim();
        Handle<Socket> b = pool.claim();

        assertThatThrownBy(() -> pool.claim(Duration.ofMillis(200)))
                .isInstanceOfSatisfying(ClaimException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ClaimException.Kind.ALL_CLAIMS_USED);
                    assertThat(e.getMessage()).startsWith("pool 'orders': all 2 connections claimed, on 1 of 1 backends"
                            + " online (max 2 slots), 0 other claims waiting (waited ");
                });
        assertThat(pool.stats().failedClaims()).containsEntry(ClaimException.Kind.ALL_CLAIMS_USED, 1L)
                .containsEntry(ClaimException.Kind.NO_BACKENDS, 0L);
        a.close();
        b.close();
    }

    @Test
    void asyncClaimCompletesAndCancellingItWithdrawsTheWaiter() throws Exception {
        EchoServer server = server();
        Pool<Socket> pool = pool(FixedResolver.of(server.backend()),
                Policy.builder().maxSlots(1).sparesWanted(1).build());
        Handle<Socket> held = pool.claimAsync().get(10, TimeUnit.SECONDS);
        assertThat(echo(held, "async")).isEqualTo("async");

        CompletableFuture<Handle<Socket>> cancelled = pool.claimAsync();
        CompletableFuture<Handle<Socket>> next = pool.claimAsync();
        await().until(() -> pool.stats().waiting() == 2);
        assertThat(cancelled.cancel(false)).isTrue();
        await().until(() -> pool.stats().waiting() == 1);

        held.close();
        try (Handle<Socket> handle = next.get(10, TimeUnit.SECONDS)) {
            assertThat(echo(handle, "next")).isEqualTo("next");
        }
        assertThat(pool.stats().claims()).isEqualTo(2);
    }

    @Test
    void aBackendThatDiesAndComesBackIsReconnected() throws Exception {
        EchoServer server = server();
        Pool<Socket> pool = pool(FixedResolver.of(server.backend()), Policy.builder()
                .backend(b -> b.healthInterval(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(200))).build());
        await().until(() -> server.openConnections() == 8);

        server.stop();
        await().until(() -> !pool.stats().backends().get(server.backend().toString()).online());
        server.restart();

        await().atMost(Duration.ofSeconds(20)).until(() -> server.openConnections() == 8);
        try (Handle<Socket> handle = pool.claim()) {
            assertThat(echo(handle, "again")).isEqualTo("again");
        }
    }
}
