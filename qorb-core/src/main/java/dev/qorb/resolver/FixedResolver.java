package dev.qorb.resolver;

import dev.qorb.Backend;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed list of backends. Backends given as such, and IP addresses ({@code 127.0.0.1:7001},
 * {@code [::1]:7001}), are reported as they are, named by their address. A host name
 * ({@code db1.internal:5432}, from {@link #parse}) gives one backend per address the system's
 * resolver (the JVM's {@link InetAddress}, with {@code /etc/hosts}) has for it, named
 * {@code host/address:port} like a DNS resolver's in host mode, and is looked up again every
 * 60 s, on {@link #resolveNow()}, and on {@link #troubleSeen()} at most once every 10 s; when
 * such a lookup fails, the host keeps the addresses it had. (The JVM caches what its resolver
 * says, by default for 30 s.)
 *
 * <p>Thread-safety: the backends are published whole (volatile). Host names are looked up,
 * blocking, on one daemon thread shared by every fixed resolver in the JVM
 * ({@code qorb-hosts}, started only when a list holds a host name), where all lookup state
 * lives after construction.
 */
public final class FixedResolver implements Resolver {

    private static final Logger log = LoggerFactory.getLogger(FixedResolver.class);
    private static final Duration REFRESH_INTERVAL = Duration.ofSeconds(60);
    private static final Duration TROUBLE_INTERVAL = Duration.ofSeconds(10);

    /** Looks up the addresses of a host name: {@link InetAddress#getAllByName} outside tests. */
    @FunctionalInterface
    interface HostLookup {
        InetAddress[] addresses(String host) throws UnknownHostException;
    }

    private final List<Backend> fixed;
    private final List<HostPort> hosts;
    private final HostLookup lookup;
    private final long refreshNanos;
    private final long troubleNanos;
    /** Calls of {@link #troubleSeen()} before this time are ignored; any thread. */
    private final AtomicLong troubleIgnoredUntilNanos = new AtomicLong(System.nanoTime());
    /** The addresses each host name had last: filled by the constructor, then touched only on the lookup thread. */
    private final Map<HostPort, List<Backend>> byHost = new LinkedHashMap<>();
    /** Lookup thread only. */
    private ScheduledFuture<?> next;
    private volatile Map<String, Backend> backends;
    private volatile String lastError;
    private volatile Listener listener;
    private volatile boolean closed;

    /**
     * @param backends the backends; duplicates are reported once
     * @throws IllegalArgumentException if {@code backends} is empty
     */
    public FixedResolver(Collection<Backend> backends) {
        this(backends, List.of(), InetAddress::getAllByName, REFRESH_INTERVAL, TROUBLE_INTERVAL);
    }

    /** @throws IllegalArgumentException if there is nothing to report, or a host name does not resolve now */
    FixedResolver(Collection<Backend> fixed, List<HostPort> hosts, HostLookup lookup, Duration refresh,
            Duration trouble) {
        Objects.requireNonNull(fixed, "backends");
        fixed.forEach(backend -> Objects.requireNonNull(backend, "backends must not contain null"));
        if (fixed.isEmpty() && hosts.isEmpty()) {
            throw new IllegalArgumentException("a FixedResolver needs at least one backend");
        }
        this.fixed = List.copyOf(fixed);
        this.hosts = List.copyOf(hosts);
        this.lookup = lookup;
        this.refreshNanos = refresh.toNanos();
        this.troubleNanos = trouble.toNanos();
        for (HostPort host : hosts) {
            try {
                byHost.put(host, resolve(host));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("address '" + host + "': the host '" + host.host()
                        + "' does not resolve", e);
            }
        }
        this.backends = merged();
    }

    /** @see #FixedResolver(Collection) */
    public static FixedResolver of(Backend... backends) {
        return new FixedResolver(List.of(backends));
    }

    /**
     * Parses addresses such as {@code 127.0.0.1:7001}, {@code [::1]:7001} or
     * {@code db1.internal:5432}; host names are looked up now and again later (see above).
     *
     * @throws IllegalArgumentException naming the first address that is not {@code host:port},
     *     or a host name that does not resolve now
     */
    public static FixedResolver parse(Collection<String> addresses) {
        List<Backend> fixed = new ArrayList<>();
        List<HostPort> hosts = new ArrayList<>();
        for (HostPort address : addresses.stream().map(HostPort::parse).distinct().toList()) {
            if (address.ipLiteral()) {
                fixed.add(address.toBackend());
            } else {
                hosts.add(address);
            }
        }
        return new FixedResolver(fixed, hosts, InetAddress::getAllByName, REFRESH_INTERVAL, TROUBLE_INTERVAL);
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        listener.onBackends(backends);
        if (!hosts.isEmpty()) {
            HostLookupThread.INSTANCE.execute(this::scheduleRefresh);
        }
    }

    @Override
    public void resolveNow() {
        if (!hosts.isEmpty()) {
            HostLookupThread.INSTANCE.execute(this::refresh);
        }
    }

    /** Looks the host names up again, at most once every 10 s; does nothing for a list of addresses. */
    @Override
    public void troubleSeen() {
        long now = System.nanoTime();
        long ignoredUntil = troubleIgnoredUntilNanos.get();
        if (hosts.isEmpty() || closed || now - ignoredUntil < 0
                || !troubleIgnoredUntilNanos.compareAndSet(ignoredUntil, now + troubleNanos)) {
            return;
        }
        HostLookupThread.INSTANCE.execute(this::refresh);
    }

    @Override
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    @Override
    public void close() {
        closed = true;
        listener = null;
        if (!hosts.isEmpty()) {
            HostLookupThread.INSTANCE.execute(() -> {
                if (next != null) {
                    next.cancel(false);
                }
            });
        }
    }

    /** Lookup thread: looks every host name up, reports a change, and schedules the next time. */
    private void refresh() {
        if (closed) {
            return;
        }
        List<String> errors = new ArrayList<>();
        for (HostPort host : hosts) {
            try {
                byHost.put(host, resolve(host));
            } catch (UnknownHostException e) {
                errors.add(host.host() + " does not resolve (" + e.getMessage() + ")");
            }
        }
        String error = errors.isEmpty() ? null : String.join("; ", errors);
        if (error != null && lastError == null) {
            log.warn("{}: keeping the last known addresses: {}", this, error);
        } else if (error == null && lastError != null) {
            log.info("{}: every host name resolves again", this);
        }
        lastError = error;
        Map<String, Backend> now = merged();
        Listener current = listener;
        if (current != null && !closed && !now.equals(backends)) {
            backends = now;
            log.info("{}: {} backends: {}", this, now.size(), now.keySet());
            current.onBackends(now);
        }
        scheduleRefresh();
    }

    /** Lookup thread. */
    private void scheduleRefresh() {
        if (next != null) {
            next.cancel(false);
        }
        if (!closed) {
            next = HostLookupThread.INSTANCE.schedule(this::refresh, refreshNanos, TimeUnit.NANOSECONDS);
        }
    }

    private List<Backend> resolve(HostPort host) throws UnknownHostException {
        List<Backend> found = new ArrayList<>();
        for (InetAddress address : lookup.addresses(host.host())) {
            InetSocketAddress socket = new InetSocketAddress(InetAddress.getByAddress(address.getAddress()), host.port());
            found.add(new Backend(host.host() + "/" + new Backend(socket).name(), socket, 0, 1));
        }
        return found;
    }

    private Map<String, Backend> merged() {
        Map<String, Backend> byName = new LinkedHashMap<>();
        fixed.forEach(backend -> byName.put(backend.name(), backend));
        byHost.values().forEach(list -> list.forEach(backend -> byName.put(backend.name(), backend)));
        return Map.copyOf(byName);
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        fixed.forEach(backend -> names.add(backend.name()));
        hosts.forEach(host -> names.add(host.toString()));
        return "FixedResolver" + names;
    }

    /**
     * The one thread that looks up the host names of every fixed resolver, so that blocking
     * lookups stay off the pool's threads; a daemon, started by the first list with a host name.
     */
    private static final class HostLookupThread {
        static final ScheduledExecutorService INSTANCE = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "qorb-hosts");
            thread.setDaemon(true);
            return thread;
        });
    }
}
