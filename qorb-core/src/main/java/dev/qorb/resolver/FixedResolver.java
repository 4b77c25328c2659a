package dev.qorb.resolver;

import dev.qorb.Backend;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A static list of backends, each named by its address ({@code 127.0.0.1:7001}).
 *
 * <p>Thread-safety: immutable after construction.
 */
public final class FixedResolver implements Resolver {

    private final Map<String, Backend> backends;

    /**
     * @param backends the backends; duplicates are reported once
     * @throws IllegalArgumentException if {@code backends} is empty
     */
    public FixedResolver(Collection<Backend> backends) {
        Objects.requireNonNull(backends, "backends");
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("a FixedResolver needs at least one backend");
        }
        Map<String, Backend> byName = new LinkedHashMap<>();
        for (Backend backend : backends) {
            Objects.requireNonNull(backend, "backends must not contain null");
            byName.put(backend.toString(), backend);
        }
        this.backends = Map.copyOf(byName);
    }

    /** @see #FixedResolver(Collection) */
    public static FixedResolver of(Backend... backends) {
        return new FixedResolver(List.of(backends));
    }

    /**
     * Parses addresses such as {@code 127.0.0.1:7001}, {@code [::1]:7001} or {@code localhost:7001}.
     *
     * @throws IllegalArgumentException naming the first address that is not {@code host:port}
     */
    public static FixedResolver parse(Collection<String> addresses) {
        return new FixedResolver(addresses.stream().map(HostPort::parse).map(HostPort::toBackend).toList());
    }

    @Override
    public void start(Listener listener) {
        listener.onBackends(backends);
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "FixedResolver" + backends.keySet();
    }
}
