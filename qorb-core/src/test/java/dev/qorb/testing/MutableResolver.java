package dev.qorb.testing;

import dev.qorb.Backend;
import dev.qorb.resolver.Resolver;
import java.util.LinkedHashMap;
import java.util.Map;

/** A resolver a test changes by hand, reporting each change to the pool like a real one. */
public final class MutableResolver implements Resolver {

    private final Map<String, Backend> backends = new LinkedHashMap<>();
    private Listener listener;
    private boolean closed;

    public synchronized MutableResolver add(Backend backend) {
        backends.put(backend.toString(), backend);
        report();
        return this;
    }

    public synchronized MutableResolver remove(Backend backend) {
        backends.remove(backend.toString());
        report();
        return this;
    }

    /** Replaces every backend with {@code replacements}, reported in one update as a DNS answer would be. */
    public synchronized MutableResolver publish(Backend... replacements) {
        backends.clear();
        for (Backend backend : replacements) {
            backends.put(backend.toString(), backend);
        }
        report();
        return this;
    }

    public synchronized boolean closed() {
        return closed;
    }

    @Override
    public synchronized void start(Listener listener) {
        this.listener = listener;
        report();
    }

    @Override
    public synchronized void close() {
        closed = true;
        listener = null;
    }

    private void report() {
        if (listener != null) {
            listener.onBackends(Map.copyOf(backends));
        }
    }

    @Override
    public String toString() {
        return "MutableResolver" + backends.keySet();
    }
}
