package dev.qorb;

import java.util.Objects;

/**
 * A claim that could not be served. {@link #kind()} says why, in the terms of qorb's
 * "why did my claim fail" reasons; the message names the pool and gives the numbers.
 */
public final class ClaimException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a claim failed. */
    public enum Kind {
        /** The resolver reports no backend at all. Check the resolver's configuration. */
        NO_BACKENDS,
        /** Backends are known but none has a working connection: all are down or unreachable. */
        NO_BACKENDS_ONLINE,
        /** Backends are online but every connection was claimed for the whole wait: the pool is too small or connections leak. */
        ALL_CLAIMS_USED,
        /** The pool was closed before or while the claim waited. */
        POOL_CLOSED,
        /** The claiming thread was interrupted while it waited; its interrupt flag is set again. */
        INTERRUPTED,
        /**
         * As many claims as {@link Policy#maxWaiters()} allows were already waiting: this one failed at once
         * instead of joining them. The pool is overloaded or too small.
         */
        TOO_MANY_WAITERS,
        /**
         * Claims have waited longer than {@link Policy#targetClaimDelay()} for a sustained interval, and this
         * one was shed early (or reached the bound that target sets on waiting) so that it fails promptly
         * instead of being served late.
         */
        OVERLOADED
    }

    private final Kind kind;
    private final String pool;

    /**
     * @param kind why the claim failed
     * @param pool the pool's name
     * @param message the full message, naming the pool and the numbers behind the reason
     * @param cause the last error seen on the way, or {@code null}
     */
    public ClaimException(Kind kind, String pool, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** Why the claim failed. */
    public Kind kind() {
        return kind;
    }

    /** The name of the pool the claim was made on. */
    public String pool() {
        return pool;
    }
}
