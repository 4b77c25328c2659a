package dev.qorb.dns;

import dev.qorb.Backend;
import dev.qorb.resolver.Resolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Finds backends in DNS: the targets of SRV records with their AAAA and A addresses (one
 * backend per target, address and port, with the record's priority and weight), or the
 * addresses of a plain host name on a fixed port.
 *
 * <p>Records expire at their TTL (or the configured hard TTL) unless seen again; a lookup is
 * made every query interval, sooner when a record is due to expire, and after the retry
 * interval when nothing was found. When every server fails, the last known backends stay: a
 * DNS outage must not empty the pool. Addresses in an answer's additional section are used
 * for the families they cover, and asked for otherwise (servers trim that section).
 *
 * <p>Threading: lookups run one at a time on a single daemon thread shared by every DNS
 * resolver in the JVM ({@code qorb-dns}), with dnsjava's asynchronous queries; no thread
 * per query, and no dnsjava cache (its JVM-wide cache would hide updates).
 */
public final class DnsResolver implements Resolver {

    private static final Logger log = LoggerFactory.getLogger(DnsResolver.class);
    /** Lookups are not made more often than this, whatever the TTLs. */
    private static final long MIN_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /**
     * One DNS server as the resolver saw it.
     *
     * @param address {@code ip:port}
     * @param answers queries it answered (NOERROR or NXDOMAIN)
     * @param errors queries it failed (other answers, refused connections, malformed answers)
     * @param timeouts queries it did not answer in time
     * @param lastAnswer when it last answered
     * @param lastError its last failure
     */
    public record ServerStatus(String address, long answers, long errors, long timeouts, Optional<Instant> lastAnswer,
            Optional<String> lastError) {
    }

    /**
     * One backend the resolver reports, and when its record expires unless seen again.
     *
     * @param name the backend's name: {@code target/address:port}
     * @param backend the backend
     * @param expires when it is dropped if no lookup sees it again
     */
    public record RecordStatus(String name, Backend backend, Instant expires) {
    }

    /**
     * What the resolver knows now, for operators.
     *
     * @param name what it looks up, with its mode
     * @param servers the servers it asks
     * @param records the backends it reports
     * @param lastLookup when the last lookup finished
     * @param lastError the last lookup failure, if the last lookup failed
     */
    public record Status(String name, List<ServerStatus> servers, List<RecordStatus> records,
            Optional<Instant> lastLookup, Optional<String> lastError) {
    }

    private record Entry(Backend backend, long expiresAtNanos) {
    }

    private final DnsResolverConfig config;
    private final Name name;
    private final Optional<Name> discoveryName;
    private final ScheduledExecutorService executor;
    private final DnsServers servers;
    private final AtomicBoolean lookupRunning = new AtomicBoolean();
    /** Touched only by the lookup chain, one lookup at a time. */
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** Written by the lookup chain; read by status(). */
    private volatile Status status;
    private volatile Map<String, Backend> reported;
    private volatile Listener listener;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> nextLookup;

    /**
     * @throws IllegalArgumentException if a name in the config is not a valid DNS name, or
     *     no server is configured and the system has none
     */
    public DnsResolver(DnsResolverConfig config) {
        this(config, SharedDnsThread.INSTANCE);
    }

    DnsResolver(DnsResolverConfig config, ScheduledExecutorService executor) {
        this.config = config;
        this.name = absolute(config.name(), "dns.name");
        this.discoveryName = config.serverDiscovery().map(n -> absolute(n, "dns.serverDiscovery"));
        this.executor = executor;
        List<InetSocketAddress> addresses = config.servers().isEmpty()
                ? ResolverConfig.getCurrentConfig().servers() : config.servers();
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("dns.servers is empty and the system has no DNS server configured");
        }
        this.servers = new DnsServers(addresses, config.queryTimeout(), config.maxConcurrency(), executor);
        this.status = new Status(describe(), servers.all().stream().map(DnsServers.Server::status).toList(),
                List.of(), Optional.empty(), Optional.empty());
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        schedule(0);
    }

    @Override
    public void resolveNow() {
        schedule(0);
    }

    @Override
    public void close() {
        closed = true;
        listener = null;
        ScheduledFuture<?> next = nextLookup;
        if (next != null) {
            next.cancel(false);
        }
    }

    /** What the resolver knows now. */
    public Status status() {
        return status;
    }

    /**
     * Lookups that ended with {@code outcome} since the resolver was built; never goes down.
     * (A stub returning 0 until lookups are counted.)
     */
    public long lookups(LookupOutcome outcome) {
        return 0;
    }

    private void schedule(long delayNanos) {
        if (closed) {
            return;
        }
        ScheduledFuture<?> previous = nextLookup;
        if (previous != null) {
            previous.cancel(false);
        }
        nextLookup = executor.schedule(this::lookup, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void lookup() {
        if (closed || !lookupRunning.compareAndSet(false, true)) {
            return;
        }
        discoverServers()
                .thenCompose(ignored -> config.srvMode() ? lookupSrv() : lookupHost())
                .whenCompleteAsync((found, error) -> {
                    try {
                        finish(found, error);
                    } finally {
                        lookupRunning.set(false);
                    }
                }, executor);
    }

    private CompletableFuture<Void> discoverServers() {
        if (discoveryName.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return servers.query(discoveryName.get(), Type.SRV).thenCompose(answer -> {
            List<CompletableFuture<List<Found>>> targets = new ArrayList<>();
            for (Record record : answer.records()) {
                SRVRecord srv = (SRVRecord) record;
                targets.add(addresses(srv.getTarget(), srv.getPort(), 0, 1, srv.getTTL(), answer.additional()));
            }
            return all(targets);
        }).handle((found, error) -> {
            if (error != null) {
                log.warn("{}: DNS server discovery through {} failed, keeping the servers known: {}", this,
                        discoveryName.get(), error.toString());
            } else {
                servers.discovered(found.stream().map(f -> f.backend().address()).toList());
            }
            return null;
        });
    }

    private CompletableFuture<List<Found>> lookupSrv() {
        return servers.query(name, Type.SRV).thenCompose(answer -> {
            List<CompletableFuture<List<Found>>> targets = new ArrayList<>();
            for (Record record : answer.records()) {
                SRVRecord srv = (SRVRecord) record;
                if (srv.getTarget().equals(Name.root) || srv.getPort() == 0) {
                    continue; // "." means the service is decidedly not available there (RFC 2782)
                }
                targets.add(addresses(srv.getTarget(), srv.getPort(), srv.getPriority(), srv.getWeight(), srv.getTTL(),
                        answer.additional()));
            }
            return all(targets);
        });
    }

    private CompletableFuture<List<Found>> lookupHost() {
        return addresses(name, config.port(), 0, 1, Long.MAX_VALUE, List.of());
    }

    /**
     * The addresses of {@code target} for the configured families: from {@code additional}
     * for a family it covers, else asked for. A failed address query loses only that family
     * of that target this time.
     */
    private CompletableFuture<List<Found>> addresses(Name target, int port, int priority, int weight, long parentTtl,
            List<Record> additional) {
        List<CompletableFuture<List<Found>>> families = new ArrayList<>();
        for (int type : types()) {
            List<Record> hinted = additional.stream()
                    .filter(r -> r.getType() == type && r.getName().equals(target)).toList();
            CompletableFuture<List<Record>> records = hinted.isEmpty()
                    ? servers.query(target, type).thenApply(DnsServers.Answer::records)
                    : CompletableFuture.completedFuture(hinted);
            families.add(records.handle((list, error) -> {
                if (error != null) {
                    log.debug("{}: {} {} failed: {}", this, target, Type.string(type), error.toString());
                    return List.of();
                }
                List<Found> found = new ArrayList<>();
                for (Record record : list) {
                    InetAddress address = record instanceof AAAARecord aaaa ? aaaa.getAddress()
                            : ((ARecord) record).getAddress();
                    found.add(new Found(target, new Backend(new InetSocketAddress(withoutName(address), port),
                            priority, weight), Math.min(parentTtl, record.getTTL())));
                }
                return found;
            }));
        }
        return all(families);
    }

    private int[] types() {
        return switch (config.family()) {
            case BOTH -> new int[] {Type.AAAA, Type.A};
            case IPV6_ONLY -> new int[] {Type.AAAA};
            case IPV4_ONLY -> new int[] {Type.A};
        };
    }

    /** One backend a lookup found, with its TTL in seconds. */
    private record Found(Name target, Backend backend, long ttlSeconds) {
        String key() {
            String host = target.toString(true);
            return host + "/" + backend;
        }
    }

    private void finish(List<Found> found, Throwable error) {
        long now = System.nanoTime();
        String lastError = null;
        long delay;
        if (error != null) {
            // Every server failed: keep what we know.
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            lastError = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            log.warn("{}: lookup failed on every server, keeping {} known backends: {}", this, entries.size(), lastError);
            delay = config.retryInterval().toNanos();
        } else {
            for (Found f : found) {
                long ttl = config.hardTtl().map(Duration::toNanos)
                        .orElse(TimeUnit.SECONDS.toNanos(Math.min(f.ttlSeconds(), Integer.MAX_VALUE)));
                entries.put(f.key(), new Entry(f.backend(), now + ttl));
            }
            entries.values().removeIf(e -> e.expiresAtNanos() - now <= 0);
            delay = (found.isEmpty() ? config.retryInterval() : config.queryInterval()).toNanos();
        }
        for (Entry e : entries.values()) {
            delay = Math.min(delay, e.expiresAtNanos() - now);
        }
        publish(now, lastError);
        schedule(Math.max(MIN_DELAY_NANOS, delay));
    }

    private void publish(long now, String lastError) {
        Map<String, Backend> backends = new LinkedHashMap<>();
        List<RecordStatus> records = new ArrayList<>();
        Instant wall = Instant.now();
        entries.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            backends.put(e.getKey(), e.getValue().backend());
            records.add(new RecordStatus(e.getKey(), e.getValue().backend(),
                    wall.plusNanos(e.getValue().expiresAtNanos() - now)));
        });
        status = new Status(describe(), servers.all().stream().map(DnsServers.Server::status).toList(), records,
                Optional.of(wall), Optional.ofNullable(lastError));
        Listener current = listener;
        if (current != null && !closed && !backends.equals(reported)) {
            reported = Map.copyOf(backends);
            log.info("{}: {} backends: {}", this, backends.size(), backends.keySet());
            current.onBackends(reported);
        }
    }

    /** dnsjava's addresses carry the owner name; a backend's address is the bare IP. */
    private static InetAddress withoutName(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an A or AAAA record with an address of the wrong length", e);
        }
    }

    private static <T> CompletableFuture<List<T>> all(List<CompletableFuture<List<T>>> parts) {
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<T> joined = new ArrayList<>();
            parts.forEach(p -> joined.addAll(p.join()));
            return joined;
        });
    }

    private static Name absolute(String text, String field) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(field + " '" + text + "' is not a valid DNS name: " + e.getMessage(), e);
        }
    }

    private String describe() {
        return (config.srvMode() ? "SRV " + name : name + " port " + config.port()) + " (" + config.family() + ")";
    }

    static String format(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    @Override
    public String toString() {
        return "DnsResolver[" + describe() + "]";
    }

    /** The one thread every DNS resolver's lookups run on. */
    private static final class SharedDnsThread {
        static final ScheduledExecutorService INSTANCE = create();

        private static ScheduledExecutorService create() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "qorb-dns");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            executor.setKeepAliveTime(1, TimeUnit.MINUTES);
            executor.allowCoreThreadTimeOut(true);
            return executor;
        }
    }
}
