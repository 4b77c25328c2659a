package dev.qorb.pool;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Bounds every {@code onAcquire} of one pool with one periodic look instead of a timer per
 * call: each look expires the calls past their bound (see {@link AcquireWatch}). It looks
 * four times per bound, so a call is expired between 1 and 1.25 times its bound. It runs only
 * for connectors that have an {@code onAcquire}.
 *
 * <p>Thread-safety: the look runs on the scheduler, one at a time; it reads the slots the pool
 * gives it, which may change between looks.
 *
 * @param <C> the connection type
 */
final class AcquireWatchdog<C> {

    private final Supplier<Iterable<SlotSet<C>>> sets;
    private final Consumer<Slot<C>> onExpiry;
    private final Clock clock;
    private final ScheduledFuture<?> looks;

    AcquireWatchdog(Supplier<Iterable<SlotSet<C>>> sets, Consumer<Slot<C>> onExpiry, long boundNanos,
            ScheduledExecutorService scheduler, Clock clock) {
        this.sets = sets;
        this.onExpiry = onExpiry;
        this.clock = clock;
        long period = Math.max(boundNanos / 4, TimeUnit.MILLISECONDS.toNanos(1));
        this.looks = scheduler.scheduleWithFixedDelay(this::look, period, period, TimeUnit.NANOSECONDS);
    }

    private void look() {
        long now = clock.nanoTime();
        for (SlotSet<C> set : sets.get()) {
            for (Slot<C> slot : set.slots()) {
                slot.acquireWatch.expireIfLate(now, () -> onExpiry.accept(slot));
            }
        }
    }

    void stop() {
        looks.cancel(false);
    }
}
