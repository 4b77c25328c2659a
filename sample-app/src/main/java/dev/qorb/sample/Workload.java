package dev.qorb.sample;

import dev.qorb.ClaimException;
import dev.qorb.Handle;
import dev.qorb.Pool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Claimers that talk to the backends through each pool: claim, send a line, read it back,
 * release. The page adds and removes claimers; everything stops after
 * {@code qorb-sample.run-for} at the latest.
 */
@Component
public class Workload implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Workload.class);

    /**
     * One pool's load as the page shows it.
     *
     * @param claimers claimer threads now
     * @param roundTrips round trips completed
     * @param errors round trips that failed (I/O error or claim failure)
     * @param lastError the last failure
     */
    public record View(int claimers, long roundTrips, long errors, String lastError) {
    }

    private final class PoolLoad {
        final Pool<EchoConnection> pool;
        final List<Future<?>> claimers = new ArrayList<>();
        final LongAdder roundTrips = new LongAdder();
        final LongAdder errors = new LongAdder();
        volatile String lastError;

        PoolLoad(Pool<EchoConnection> pool) {
            this.pool = pool;
        }

        void claimLoop(AtomicInteger stop) {
            while (running() && stop.get() == 0) {
                try (Handle<EchoConnection> handle = pool.claim()) {
                    try {
                        handle.get().roundTrip("hello from a claimer");
                        roundTrips.increment();
                    } catch (IOException e) {
                        // The backend broke under us: never lend this connection again.
                        handle.invalidate();
                        failed(e);
                    }
                } catch (ClaimException e) {
                    failed(e);
                } catch (IllegalStateException alreadyInvalidated) {
                    // try-with-resources closing a handle that invalidate() already returned
                }
                LockSupport.parkNanos(properties.pause().toNanos());
            }
        }

        void failed(Exception e) {
            errors.increment();
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private final SampleProperties properties;
    private final Map<String, PoolLoad> loads = new LinkedHashMap<>();
    private final Map<PoolLoad, List<AtomicInteger>> stopFlags = new LinkedHashMap<>();
    private volatile ExecutorService threads;
    private volatile long stopAtNanos;

    public Workload(ObjectProvider<Pool<EchoConnection>> pools, SampleProperties properties) {
        this.properties = properties;
        pools.orderedStream().forEach(pool -> loads.put(pool.name(), new PoolLoad(pool)));
    }

    @Override
    public synchronized void start() {
        stopAtNanos = System.nanoTime() + properties.runFor().toNanos();
        threads = Executors.newCachedThreadPool();
        loads.keySet().forEach(pool -> claimers(pool, properties.claimers()));
        log.info("workload: {} claimers on each of the pools {}, for at most {}", properties.claimers(),
                loads.keySet(), properties.runFor());
    }

    /**
     * Sets the number of claimers of {@code pool}, within {@code qorb-sample.max-claimers}.
     *
     * @return the number now, or -1 when the pool is unknown
     */
    public synchronized int claimers(String pool, int wanted) {
        PoolLoad load = loads.get(pool);
        if (load == null || threads == null) {
            return -1;
        }
        int target = Math.max(0, Math.min(wanted, properties.maxClaimers()));
        List<AtomicInteger> flags = stopFlags.computeIfAbsent(load, l -> new ArrayList<>());
        while (flags.size() < target) {
            AtomicInteger stop = new AtomicInteger();
            flags.add(stop);
            load.claimers.add(threads.submit(() -> load.claimLoop(stop)));
        }
        while (flags.size() > target) {
            flags.remove(flags.size() - 1).set(1);
            load.claimers.remove(load.claimers.size() - 1);
        }
        return target;
    }

    public synchronized Map<String, View> views() {
        Map<String, View> views = new LinkedHashMap<>();
        loads.forEach((name, load) -> views.put(name, new View(stopFlags.getOrDefault(load, List.of()).size(),
                load.roundTrips.sum(), load.errors.sum(), load.lastError)));
        return views;
    }

    private boolean running() {
        return System.nanoTime() - stopAtNanos < 0;
    }

    @Override
    public synchronized void stop() {
        ExecutorService current = threads;
        if (current != null) {
            stopAtNanos = System.nanoTime();
            current.shutdownNow();
            threads = null;
        }
    }

    @Override
    public boolean isRunning() {
        return threads != null;
    }
}
