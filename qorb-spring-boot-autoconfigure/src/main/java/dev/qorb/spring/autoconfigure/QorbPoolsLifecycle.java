package dev.qorb.spring.autoconfigure;

import dev.qorb.Pool;
import dev.qorb.spring.QorbPoolCustomizer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Checks, once every bean exists, that each {@link QorbPoolCustomizer#forPool} names a pool.
 * Closes the pools on shutdown after the web server has finished its graceful shutdown (a
 * lower phase stops later), and waits up to {@code qorb.shutdown-timeout} for claimed
 * connections to come back. Beans destroyed afterwards find the pools closed; closing again is
 * harmless.
 */
class QorbPoolsLifecycle implements SmartLifecycle {

    /** Below the web server's graceful shutdown and stop phases, so that requests in flight finish first. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(QorbPoolsLifecycle.class);

    private final ObjectProvider<Pool<?>> pools;
    private final ObjectProvider<QorbPoolCustomizer> customizers;
    private final Duration shutdownTimeout;
    private volatile boolean running;

    QorbPoolsLifecycle(ObjectProvider<Pool<?>> pools, ObjectProvider<QorbPoolCustomizer> customizers,
            Duration shutdownTimeout) {
        this.pools = pools;
        this.customizers = customizers;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void start() {
        Set<String> names = pools.orderedStream().map(Pool::name).collect(Collectors.toCollection(TreeSet::new));
        customizers.orderedStream().filter(c -> c.poolName() != null && !names.contains(c.poolName())).findFirst()
                .ifPresent(c -> {
                    throw new IllegalStateException(c + " names no configured pool; the pools are " + names);
                });
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        List<Pool<?>> all = pools.orderedStream().toList();
        all.forEach(Pool::close);
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        for (Pool<?> pool : all) {
            try {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                if (!pool.awaitTermination(left)) {
                    log.warn("pool '{}': claimed connections did not come back within qorb.shutdown-timeout ({});"
                            + " they are closed when returned", pool.name(), shutdownTimeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
