package dev.qorb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qorb.connector.TcpConnector;
import dev.qorb.testing.EchoServer;
import dev.qorb.testing.MutableResolver;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Forty real backends on loopback, more than the pool's slots: it settles on a stable subset,
 * makes no connects at rest, and rides out a rolling restart of ten of them under load
 * without one failed claim.
 */
class ManyRealBackendsTest {

    private final List<EchoServer> servers = new ArrayList<>();
    private final MutableResolver resolver = new MutableResolver();
    private final ExecutorService load = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() throws IOException {
        load.shutdownNow();
        for (EchoServer server : servers) {
            server.close();
        }
    }

    private int accepted() {
        return servers.stream().mapToInt(EchoServer::acceptedConnections).sum();
    }

    @Test
    void fortyBackendsSettleAndARollingRestartOfTenFailsNoClaim() throws Exception {
        for (int i = 0; i < 40; i++) {
            EchoServer server = EchoServer.start();
            servers.add(server);
            resolver.add(server.backend());
        }
        Policy policy = Policy.builder().rebalanceInterval(Duration.ofMillis(100))
                .backend(b -> b.maxBackoff(Duration.ofMillis(200)).healthInterval(Duration.ofMillis(200))).build();
        try (Pool<Socket> pool = Pool.builder("forty", new TcpConnector(Duration.ofSeconds(1))).resolver(resolver)
                .policy(policy).build()) {
            await().until(() -> pool.stats().unclaimed() == 16);
            int settled = accepted();
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> accepted() == settled);

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger failedClaims = new AtomicInteger();
            AtomicInteger served = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                workers.add(load.submit(() -> {
                    for (int n = 0; running.get() && n < 1_000_000; n++) {
                        Handle<Socket> h;
                        try {
                            h = pool.claim(Duration.ofSeconds(3));
                        } catch (ClaimException e) {
                            failedClaims.incrementAndGet();
                            continue;
                        }
                        try (h) {
                            h.get().getOutputStream().write(1);
                            if (h.get().getInputStream().read() != 1) {
                                h.invalidate(new IOException("no echo"));
                            }
                            served.incrementAndGet();
                        } catch (IOException e) {
                            h.invalidate(e); // a request in flight on a backend that went down: the application's to retry
                        }
                    }
                    return null;
                }));
            }
            // Restart ten of the backends holding slots, one after the other.
            List<EchoServer> inSubset = servers.stream()
                    .filter(s -> pool.stats().backends().get(s.backend().toString()).slots() > 0).limit(10).toList();
            for (EchoServer server : inSubset) {
                server.stop();
                await().until(() -> !pool.stats().backends().get(server.backend().toString()).online());
                server.restart();
            }
            int before = served.get();
            await().until(() -> served.get() > before + 1_000);
            running.set(false);
            for (Future<?> worker : workers) {
                worker.get(10, TimeUnit.SECONDS);
            }
            assertThat(failedClaims).hasValue(0);
            await().until(() -> pool.stats().slots() == 16 && pool.stats().backendsOnline() == 16);
        }
    }
}
