package dev.qorb.sample;

import dev.qorb.ClaimException;
import dev.qorb.Handle;
import dev.qorb.Pool;
import dev.qorb.spring.QorbClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Claimers that talk to the backends through each pool, as an application would: claim, send a
 * line, read it back, hold the connection for the hold time, give it back. The page adds and
 * removes claimers and sets the hold time; a hold time longer than the pool's connections can
 * serve makes claims wait, and then fail with {@code ALL_CLAIMS_USED}.
 *
 * <p>Failed claims are counted by the pool (the page shows the endpoint's count); the workload
 * counts only round trips that failed on a claimed connection, and measures how long each claim
 * waited.
 */
@Component
public class Workload implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Workload.class);

    /** The window of the claim wait percentiles. */
    static final Duration WAIT_WINDOW = Duration.ofSeconds(10);

    /** The longest hold time the page may ask for. */
    static final Duration MAX_HOLD = Duration.ofSeconds(10);

    /**
     * One pool's load as the page shows it.
     *
     * @param claimers claimer threads now
     * @param startingClaimers claimer threads at start ({@code qorb-sample.claimers})
     * @param holdMillis how long each claimer holds a connection after its round trip
     * @param roundTrips round trips completed
     * @param failedRoundTrips round trips that failed on a claimed connection (I/O errors);
     *     failed claims are the pool's count, not repeated here
     * @param lastError the last failure a claimer saw, a failed claim or a failed round trip
     * @param lastErrorAtMillis when it happened, in milliseconds since the epoch; 0 without one
     * @param claimWait claim waits in the last {@link #WAIT_WINDOW}
     */
    public record View(int claimers, int startingClaimers, long holdMillis, long roundTrips,
            long failedRoundTrips, String lastError, long lastErrorAtMillis, ClaimWaits.Summary claimWait) {
    }

    /** One claimer thread's loop; {@code stopped} ends it after its current claim. */
    private static final class Claimer {
        volatile boolean stopped;
    }

    /** One pool's claimers and what they measured. */
    private final class PoolLoad {
        final Pool<EchoConnection> pool;
        /** Guarded by the Workload's lock: claimers are added and stopped under it. */
        final Deque<Claimer> claimers = new ArrayDeque<>();
        final LongAdder roundTrips = new LongAdder();
        final LongAdder failedRoundTrips = new LongAdder();
        final ClaimWaits waits = new ClaimWaits();
        volatile long holdNanos;
        /** Written by any claimer, read by the page: the pair may be a moment apart. */
        volatile String lastError;
        volatile long lastErrorAtMillis;

        PoolLoad(Pool<EchoConnection> pool) {
            this.pool = pool;
        }

        void claimLoop(Claimer claimer) {
            while (!claimer.stopped) {
                long start = System.nanoTime();
                try (Handle<EchoConnection> handle = pool.claim()) {
                    waits.record(start, System.nanoTime());
                    try {
                        handle.get().roundTrip("hello from a claimer");
                        LockSupport.parkNanos(holdNanos);
                        roundTrips.increment();
                    } catch (IOException e) {
                        // The backend broke under us: never lend this connection again.
                        handle.invalidate(e);
                        failedRoundTrips.increment();
                        failed(e);
                    }
                } catch (ClaimException e) {
                    waits.record(start, System.nanoTime());
                    failed(e); // counted by the pool
                }
                LockSupport.parkNanos(properties.pause().toNanos());
            }
        }

        void failed(Exception e) {
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            lastErrorAtMillis = System.currentTimeMillis();
        }

        View view() {
            return new View(claimers.size(), properties.claimers(), Duration.ofNanos(holdNanos).toMillis(),
                    roundTrips.sum(), failedRoundTrips.sum(), lastError, lastErrorAtMillis,
                    waits.summary(System.nanoTime(), WAIT_WINDOW));
        }
    }

    private final SampleProperties properties;
    private final Map<String, PoolLoad> loads = new LinkedHashMap<>();
    private ExecutorService threads;

    public Workload(@QorbClient("echo-dns") Pool<EchoConnection> dns,
            @QorbClient("echo-fixed") Pool<EchoConnection> fixed, SampleProperties properties) {
        this.properties = properties;
        for (Pool<EchoConnection> pool : List.of(dns, fixed)) {
            loads.put(pool.name(), new PoolLoad(pool));
        }
    }

    @Override
    public synchronized void start() {
        threads = Executors.newCachedThreadPool();
        loads.keySet().forEach(pool -> claimers(pool, properties.claimers()));
        log.info("workload: {} claimers on each of the pools {}", properties.claimers(), loads.keySet());
    }

    /**
     * Sets the number of claimers of {@code pool}, within 0 and {@code qorb-sample.max-claimers}.
     *
     * @return the number now, or -1 when the pool is unknown or the workload stopped
     */
    public synchronized int claimers(String pool, int wanted) {
        PoolLoad load = loads.get(pool);
        if (load == null || threads == null) {
            return -1;
        }
        int target = Math.max(0, Math.min(wanted, properties.maxClaimers()));
        while (load.claimers.size() < target) {
            Claimer claimer = new Claimer();
            load.claimers.push(claimer);
            threads.execute(() -> load.claimLoop(claimer));
        }
        while (load.claimers.size() > target) {
            load.claimers.pop().stopped = true;
        }
        return target;
    }

    /**
     * Changes the number of claimers of {@code pool} by {@code delta}, within the same bounds.
     *
     * @return the number now, or -1 when the pool is unknown or the workload stopped
     */
    public synchronized int addClaimers(String pool, int delta) {
        PoolLoad load = loads.get(pool);
        return load == null ? -1 : claimers(pool, load.claimers.size() + delta);
    }

    /**
     * Sets how long each claimer of {@code pool} holds its connection after a round trip.
     *
     * @return whether {@code pool} is known
     * @throws IllegalArgumentException if {@code hold} is negative or longer than {@link #MAX_HOLD}
     */
    public boolean hold(String pool, Duration hold) {
        if (hold.isNegative() || hold.compareTo(MAX_HOLD) > 0) {
            throw new IllegalArgumentException("hold time " + hold.toMillis() + " ms is out of range: use 0 to "
                    + MAX_HOLD.toMillis() + " ms");
        }
        PoolLoad load = loads.get(pool);
        if (load == null) {
            return false;
        }
        load.holdNanos = hold.toNanos();
        return true;
    }

    public synchronized Map<String, View> views() {
        Map<String, View> views = new LinkedHashMap<>();
        loads.forEach((name, load) -> views.put(name, load.view()));
        return views;
    }

    @Override
    public synchronized void stop() {
        if (threads != null) {
            loads.values().forEach(load -> {
                load.claimers.forEach(claimer -> claimer.stopped = true);
                load.claimers.clear();
            });
            threads.shutdownNow();
            threads = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return threads != null;
    }
}
