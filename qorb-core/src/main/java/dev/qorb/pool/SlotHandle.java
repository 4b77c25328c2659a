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
 * {@code returned}; exactly one of them gives the slot back, and the others do nothing.
 *
 * @param <C> the connection type
 */
final class SlotHandle<C> implements Handle<C> {

    private static final AtomicIntegerFieldUpdater<SlotHandle<?>> RETURNED = updater();

    private final Handles<C> handles;
    private final Slot<C> slot;
    private final C connection;
    /** When it was claimed, or 0 when nothing needed the time (leak reports, the Release event). */
    final long claimedAtNanos;
    /** 0 while claimed, 1 once given back; see class comment. */
    private volatile int returned;
    /** Written once by the claiming thread before the handle is published; read on return. */
    ScheduledFuture<?> leakTimer;

    SlotHandle(Handles<C> handles, Slot<C> slot, long claimedAtNanos) {
        this.handles = handles;
        this.slot = slot;
        this.connection = slot.connection;
        this.claimedAtNanos = claimedAtNanos;
    }

    @Override
    public C get() {
        if (returned != 0) {
            throw new IllegalStateException("pool '" + handles.pool() + "': this handle for " + backend()
                    + " was already closed or invalidated and its connection may now be lent to another caller;"
                    + " you most likely kept using the connection after giving it back");
        }
        return connection;
    }

    @Override
    public Backend backend() {
        return slot.set.backend();
    }

    @Override
    public void close() {
        giveBack(false, null);
    }

    @Override
    public void invalidate() {
        giveBack(true, null);
    }

    @Override
    public void invalidate(Throwable cause) {
        giveBack(true, cause);
    }

    boolean returned() {
        return returned != 0;
    }

    private void giveBack(boolean invalidate, Throwable cause) {
        if (RETURNED.compareAndSet(this, 0, 1)) {
            handles.release(this, slot, invalidate, cause);
        }
    }

    @Override
    public String toString() {
        return "Handle[" + handles.pool() + " " + backend() + (returned != 0 ? ", returned]" : "]");
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static AtomicIntegerFieldUpdater<SlotHandle<?>> updater() {
        return (AtomicIntegerFieldUpdater) AtomicIntegerFieldUpdater.newUpdater(SlotHandle.class, "returned");
    }
}
