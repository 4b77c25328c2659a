package dev.qorb.resolver;

import dev.qorb.Backend;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the backends of one service and reports the <em>whole</em> current set, each backend
 * under its {@link Backend#name() name}, each time it changes. It judges existence, not health: a backend that is down
 * stays in the set until the service stops publishing it, and the pool probes it.
 *
 * <p>A resolver serves one pool: the pool calls {@link #start} once and {@link #close} once.
 */
public interface Resolver extends AutoCloseable {

    /** Receives the backend set; called by the resolver on any thread, one call at a time. */
    @FunctionalInterface
    interface Listener {
        /**
         * @param backends every backend the service has now, each under exactly its
         *     {@link Backend#name()}; may be empty
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

    /**
     * The pool saw trouble: connects to a backend of this resolver started failing, or no
     * backend is online. A resolver that looks things up may look up again soon, in case the
     * service moved (as gRPC re-resolves when a connection fails); it rate-limits itself (the
     * pool may call this often, from any thread) and must not block. Resolvers with nothing
     * to look up ignore it.
     */
    default void troubleSeen() {
    }

    /**
     * The resolver's last lookup error while it has one, cleared when a lookup succeeds: for
     * claim failure messages, such as {@code SERVFAIL from 127.0.0.1:5353 for _pg._tcp.db.example. SRV}.
     */
    default Optional<String> lastError() {
        return Optional.empty();
    }

    /** Stops resolving; no report is made after this returns. */
    @Override
    void close();
}
