package dev.qorb.pool;

/**
 * The states of a slot, after qorb's. Who may move a slot out of each state is the core of
 * the pool's thread-safety; see {@link Slot}.
 */
enum SlotState {
    /**
     * No connection: a connect is running, or waiting out its backoff. Owned by the driver's
     * task in flight or by the pending timer. Next: {@link #IDLE} (or straight to a waiter as
     * {@link #CLAIMED}) on success, {@code CONNECTING} again after a failure, or
     * {@link #TERMINATED}.
     */
    CONNECTING,
    /**
     * Connected and unclaimed: ready to lend. Owned by no one; a claimer's CAS to
     * {@link #CLAIMED}, a health check's CAS to {@link #CHECKING} or a shrink's CAS to
     * {@link #TERMINATED} takes it.
     */
    IDLE,
    /**
     * Lent out through a handle, which owns it. Next: {@link #RECYCLING} on close (or straight
     * back to {@link #IDLE} or to a waiter when the connector has no recycle check), or
     * {@link #CONNECTING} on invalidate.
     */
    CLAIMED,
    /** Returned, {@code onRecycle} running. Owned by that call. Next: {@link #IDLE}, a waiter, or {@link #CONNECTING}. */
    RECYCLING,
    /** Idle and in a health check ({@code isValid}). Owned by that call. Next: {@link #IDLE}, a waiter, or {@link #CONNECTING}. */
    CHECKING,
    /** Final: the connection, if any, is closed and the slot has left its set. */
    TERMINATED;

    /** Whether a slot in this state holds a connection. */
    boolean connected() {
        return this == IDLE || this == CLAIMED || this == RECYCLING || this == CHECKING;
    }
}
