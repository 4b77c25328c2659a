package dev.qorb.pool;

/**
 * The states of a slot, after qorb's, with waiting-to-connect made a state of its own so that
 * every phase has exactly one owner. The transitions, and who makes each, are in the table on
 * {@link Slot}.
 */
enum SlotState {
    /**
     * No connection, and no connector call in flight: a connect is due (at once, or after a
     * backoff), or the old connection is being closed before the next connect. Owned by no
     * one: the connect task's CAS to {@link #CONNECTING} or a retirement's CAS to
     * {@link #TERMINATED} takes it.
     */
    WAITING,
    /** A connect call is in flight (or abandoned after its time bound and not yet returned). Owned by that call. */
    CONNECTING,
    /**
     * Connected and unclaimed: ready to lend. Owned by no one; a claimer's CAS to
     * {@link #CLAIMED}, a health check's CAS to {@link #CHECKING} or a retirement's CAS to
     * {@link #TERMINATED} takes it.
     */
    IDLE,
    /** Lent out. Owned by the claim: its {@code onAcquire}, then its handle. */
    CLAIMED,
    /** Returned, {@code onRecycle} running. Owned by that call. */
    RECYCLING,
    /** Idle and in a health check ({@code isValid}). Owned by that call. */
    CHECKING,
    /** Final: the slot has left its set; its connection, if it had one, is on the close lane. */
    TERMINATED;

    /** Whether a slot in this state holds a connection. */
    boolean connected() {
        return this == IDLE || this == CLAIMED || this == RECYCLING || this == CHECKING;
    }
}
