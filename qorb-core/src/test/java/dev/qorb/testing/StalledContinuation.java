package dev.qorb.testing;

import dev.qorb.Pool;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An async claim whose continuation blocks, as a careless caller's might, for the tests that
 * show one pool's slow continuation does not hold up another pool's claims. Closing it lets the
 * continuation return; it gives up by itself after 3 s.
 */
public final class StalledContinuation implements AutoCloseable {

    private final CountDownLatch release = new CountDownLatch(1);

    private StalledContinuation() {
    }

    /**
     * Claims asynchronously from {@code pool}, whose slots the caller holds, and returns once the
     * continuation runs (when the claim times out) and blocks.
     *
     * @throws AssertionError if the continuation has not run within 5 s
     */
    public static StalledContinuation in(Pool<?> pool) throws InterruptedException {
        StalledContinuation stalled = new StalledContinuation();
        CountDownLatch running = new CountDownLatch(1);
        pool.claimAsync().whenComplete((handle, failure) -> {
            running.countDown();
            try {
                stalled.release.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (!running.await(5, TimeUnit.SECONDS)) {
            throw new AssertionError("the continuation of an async claim on pool '" + pool.name()
                    + "' did not run within 5 s");
        }
        return stalled;
    }

    @Override
    public void close() {
        release.countDown();
    }
}
