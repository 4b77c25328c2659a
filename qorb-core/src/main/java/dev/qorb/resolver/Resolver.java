package dev.qorb.resolver;

import dev.qorb.Backend;
import java.util.Map;

/**
 * Finds the backends of one service and reports the <em>whole</em> current set, keyed by a
 * stable name, each time it changes. It judges existence, not health: a backend that is down
 * stays in the set until the service stops publishing it, and the pool probes it.
 *
 * <p>A resolver serves one pool: the pool calls {@link #start} once and {@link #close} once.
 */
public interface Resolver extends AutoCloseable {

    /** Receives the backend set; called by the resolver on any thread, one call at a time. */
    @FunctionalInterface
    interface Listener {
        /**
         * @param backends every backend the service has now, by stable name; may be empty
         */
        void onBackends(Map<String, Backend> backends);
    }

    /**
     * Starts resolving and reports to {@code listener}, first as soon as a set is known and
     * then on every change. Must not block for long: lookups belong on the resolver's own
     * schedule.
     */
    void start(Listener listener);

    /**
     * Asks for a lookup now instead of at the next interval (an operator's "re-resolve").
     * Resolvers with nothing to look up ignore it.
     */
    default void resolveNow() {
    }

    /** Stops resolving; no report is made after this returns. */
    @Override
    void close();
}
