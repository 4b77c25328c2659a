package dev.qorb.pool;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a handle still out after the leak threshold, once (it is one timer per handle), with
 * the stack trace of where it was claimed, captured only when leak detection is on.
 */
final class LeakReport implements Runnable {

    /** Logged under the pool's logger name, where users look for pool messages. */
    private static final Logger log = LoggerFactory.getLogger(QorbPool.class);

    private final String pool;
    private final SlotHandle<?> handle;
    private final long thresholdNanos;
    private final ClaimSite site;

    LeakReport(String pool, SlotHandle<?> handle, long thresholdNanos) {
        this.pool = pool;
        this.handle = handle;
        this.thresholdNanos = thresholdNanos;
        this.site = new ClaimSite(pool);
    }

    @Override
    public void run() {
        if (!handle.returned()) {
            log.warn("pool '{}': a handle for {} has been held for more than {} ms; it leaks if it is never closed",
                    pool, handle.backend(), TimeUnit.NANOSECONDS.toMillis(thresholdNanos), site);
        }
    }
}
