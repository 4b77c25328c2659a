package dev.qorb.pool;

/** Where a handle was claimed, captured only when leak detection is on. */
final class ClaimSite extends Exception {

    private static final long serialVersionUID = 1L;

    ClaimSite(String pool) {
        super("the handle was claimed from pool '" + pool + "' here");
    }
}
