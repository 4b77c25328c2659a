package dev.qorb.sample;

import dev.qorb.BackendStats;
import dev.qorb.ClaimException;
import dev.qorb.Handle;
import dev.qorb.Pool;
import dev.qorb.PoolStats;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Claimers that talk to the backends through the pool, a backend that crashes now and then,
 * and a report of the pool's stats; it all stops by itself after {@code qorb-sample.run-for}.
 */
public class DemoWorkload implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DemoWorkload.class);

    private final Pool<Socket> pool;
    private final EchoBackends backends;
    private final SampleProperties properties;
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile ScheduledExecutorService threads;
    private volatile long stopAtNanos;

    public DemoWorkload(Pool<Socket> pool, EchoBackends backends, SampleProperties properties) {
        this.pool = pool;
        this.backends = backends;
        this.properties = properties;
    }

    /** Round trips completed so far. */
    public long served() {
        return served.get();
    }

    @Override
    public void start() {
        stopAtNanos = System.nanoTime() + properties.runFor().toNanos();
        threads = Executors.newScheduledThreadPool(properties.claimers() + 2);
        for (int i = 0; i < properties.claimers(); i++) {
            threads.execute(this::claimLoop);
        }
        long crash = properties.crashEvery().toMillis();
        threads.scheduleAtFixedRate(this::crashOne, crash, crash, TimeUnit.MILLISECONDS);
        long report = properties.reportEvery().toMillis();
        threads.scheduleAtFixedRate(this::report, report, report, TimeUnit.MILLISECONDS);
        log.info("workload started: {} claimers for {}; backend 0 crashes every {}", properties.claimers(),
                properties.runFor(), properties.crashEvery());
    }

    private void claimLoop() {
        byte[] ping = "ping\n".getBytes(StandardCharsets.US_ASCII);
        while (running() && !Thread.currentThread().isInterrupted()) {
            try (Handle<Socket> handle = pool.claim()) {
                try {
                    handle.get().getOutputStream().write(ping);
                    handle.get().getInputStream().readNBytes(ping.length);
                    served.incrementAndGet();
                } catch (IOException e) {
                    // The backend died under us: this connection must not be lent again.
                    handle.invalidate();
                    failed.incrementAndGet();
                    continue;
                }
            } catch (ClaimException e) {
                failed.incrementAndGet();
                log.warn("claim failed: {}", e.getMessage());
            } catch (IllegalStateException e) {
                // invalidate() above already returned the handle; try-with-resources closes it again.
            }
        }
    }

    private void crashOne() {
        if (!running()) {
            return;
        }
        try {
            log.info("crashing backend {}; it comes back in {} ms", backends.backends().get(0),
                    properties.crashEvery().toMillis() / 2);
            backends.crash(0);
            threads.schedule(() -> {
                try {
                    backends.restart(0);
                    log.info("backend {} is listening again", backends.backends().get(0));
                } catch (IOException e) {
                    log.warn("could not restart backend 0: {}", e.toString());
                }
            }, properties.crashEvery().toMillis() / 2, TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            log.warn("could not crash backend 0: {}", e.toString());
        }
    }

    private void report() {
        PoolStats stats = pool.stats();
        StringBuilder line = new StringBuilder("pool '" + stats.pool() + "' " + stats.state() + ": "
                + served.get() + " round trips, " + failed.get() + " failures, " + stats.waiting() + " waiting");
        for (BackendStats backend : stats.backends().values()) {
            line.append(String.format("%n  %-22s %-7s connecting=%d idle=%d checking=%d claimed=%d claims=%d%s",
                    backend.name(), backend.online() ? "online" : "OFFLINE", backend.connecting(),
                    backend.unclaimed(), backend.checking(), backend.claimed(), backend.claims(),
                    backend.lastError().map(e -> " last error: " + e).orElse("")));
        }
        log.info("{}", line);
    }

    private boolean running() {
        return System.nanoTime() - stopAtNanos < 0;
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = threads;
        if (current != null) {
            stopAtNanos = System.nanoTime();
            current.shutdownNow();
            threads = null;
            log.info("workload stopped after {} round trips", served.get());
        }
    }

    @Override
    public boolean isRunning() {
        return threads != null;
    }
}
