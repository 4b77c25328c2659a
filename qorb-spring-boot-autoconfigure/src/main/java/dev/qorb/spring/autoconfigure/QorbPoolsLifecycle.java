package dev.qorb.spring.autoconfigure;

import dev.qorb.Pool;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
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
    private final Duration shutdownTimeout;
    private volatile boolean running;

    QorbPoolsLifecycle(ObjectProvider<Pool<?>> pools, Duration shutdownTimeout) {
        this.pools = pools;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void start() {
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
