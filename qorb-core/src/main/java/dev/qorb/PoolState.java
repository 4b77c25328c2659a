package dev.qorb;

/**
 * The life of a pool, after cueball's. Readable at any time through {@link Pool#state()}.
 */
public enum PoolState {
    /** Built, and no backend has been online yet. Claims wait. */
    STARTING,
    /** At least one backend is, or was last seen, online; claims are served or wait. */
    RUNNING,
    /**
     * Backends are known, none is online, and every one that may lend is failing: it has failed
     * its last {@value dev.qorb.PoolState#FAILED_AFTER_CONSECUTIVE_FAILURES} connection attempts
     * in a row, or its last one after it had been offline for
     * {@value dev.qorb.PoolState#FAILED_AFTER_OFFLINE_MILLIS} ms or more (so a black-holed backend,
     * whose every connect waits out the connect timeout, counts as failing after its first);
     * or backends are known and none may lend because an operator drained every one. Claims fail at once with {@link ClaimException.Kind#NO_BACKENDS_ONLINE} instead of waiting out
     * their timeout. The probes keep trying; the first that connects makes the pool
     * {@link #RUNNING} again.
     */
    FAILED,
    /** {@link Pool#close()} was called; claimed connections are still out. */
    STOPPING,
    /** Closed, and every connection the pool opened has been closed. */
    STOPPED;

    /** How many failed connects in a row make a backend count as failing for {@link #FAILED}. */
    public static final int FAILED_AFTER_CONSECUTIVE_FAILURES = 3;

    /** How long a backend must have been offline for one failed connect to make it count as failing for {@link #FAILED}. */
    public static final long FAILED_AFTER_OFFLINE_MILLIS = 1000;
}
