package dev.qorb.pool;

import dev.qorb.Backend;
import dev.qorb.Handle;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The handle of one claim. It is a new object per claim, so that a stale handle can never
 * return a slot that has since been lent to someone else.
 *
 * <p>Thread-safety: {@link #close()} and {@link #invalidate()} decide by CAS on
 * {@code returned}; exactly one of them gives the slot back.
 *
 * @param <C> the connection type
 */
final class SlotHandle<C> implements Handle<C> {

    private static final AtomicIntegerFieldUpdater<SlotHandle<?>> RETURNED = updater();

    private final QorbPool<C> pool;
    private final Slot<C> slot;
    private final C connection;
    final long claimedAtNanos;
    /** 0 while claimed, 1 once given back; see class comment. */
    private volatile int returned;
    /** Written once by the claiming thread before the handle is published; read on return. */
    ScheduledFuture<?> leakTimer;

    SlotHandle(QorbPool<C> pool, Slot<C> slot, long claimedAtNanos) {
        this.pool = pool;
        this.slot = slot;
        this.connection = slot.connection;
        this.claimedAtNanos = claimedAtNanos;
    }

    @Override
    public C get() {
        if (returned != 0) {
            throw new IllegalStateException("pool '" + pool.name() + "': this handle for " + backend()
                    + " was already closed and its connection may now be lent to another caller;"
                    + " you most likely kept using the connection after closing the handle");
        }
        return connection;
    }

    @Override
    public Backend backend() {
        return slot.set.backend();
    }

    @Override
    public void close() {
        giveBack(false);
    }

    @Override
    public void invalidate() {
        giveBack(true);
    }

    boolean returned() {
        return returned != 0;
    }

    private void giveBack(boolean invalidate) {
        if (!RETURNED.compareAndSet(this, 0, 1)) {
            throw new IllegalStateException("pool '" + pool.name() + "': this handle for " + backend()
                    + " was already closed or invalidated; you most likely closed it twice"
                    + " (for example inside a try-with-resources block that closes it again)");
        }
        pool.release(this, slot, invalidate);
    }

    @Override
    public String toString() {
        return "Handle[" + pool.name() + " " + backend() + (returned != 0 ? ", returned]" : "]");
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static AtomicIntegerFieldUpdater<SlotHandle<?>> updater() {
        return (AtomicIntegerFieldUpdater) AtomicIntegerFieldUpdater.newUpdater(SlotHandle.class, "returned");
    }
}
