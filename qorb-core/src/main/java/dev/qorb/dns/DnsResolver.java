package dev.qorb.dns;

import dev.qorb.Backend;
import dev.qorb.event.DnsLookupEvent;
import dev.qorb.resolver.Resolver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.TextParseException;

/**
 * Finds backends in DNS: the targets of SRV records with their AAAA and A addresses (one
 * backend per target, address and port, with the record's priority and weight, named
 * {@code target/address:port}), or the addresses of a plain host name on a fixed port.
 *
 * <p>When it looks up: every query interval after a lookup that found backends; every retry
 * interval after one that found none (sooner when the SOA's negative TTL is shorter, but not
 * sooner than 1 s) or that failed on every server; sooner on {@link #resolveNow()} and, rate
 * limited, on {@link #troubleSeen()}. TTLs do not make it look up more often. What a lookup
 * does to the backends is {@link RecordTable}'s rule: a record lives for its TTL and until the
 * first successful lookup without it, so TTL 0 works; a failed lookup changes nothing, so a
 * DNS outage does not empty the pool. An outage is logged once when it starts, at most once a
 * minute while it lasts, and once when it ends. Each query waits at most the query timeout.
 *
 * <p>Threading: lookups run one at a time on a single daemon thread shared by every DNS
 * resolver in the JVM ({@code qorb-dns}), with dnsjava's asynchronous queries (dnsjava adds
 * its own selector thread, {@code dnsjava NIO selector}, one per JVM); no thread per query,
 * and no dnsjava cache (its JVM-wide cache would hide updates).
 */
public final class DnsResolver implements Resolver {

    private static final Logger log = LoggerFactory.getLogger(DnsResolver.class);
    /** An empty answer is not asked again sooner than this, whatever its negative TTL. */
    private static final long MIN_NEGATIVE_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);

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
     * One backend the resolver reports.
     *
     * @param name the backend's name: {@code target/address:port}
     * @param backend the backend
     * @param expires when its TTL runs out; it is dropped at the first successful lookup
     *     after that which does not see it
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

    private final DnsResolverConfig config;
    private final Name name;
    /** Single-threaded: every field below marked "lookup thread" is touched only there. */
    private final ScheduledExecutorService executor;
    private final DnsServers servers;
    private final BackendLookup backendLookup;
    private final RecordTable records;
    private final OutageLog outage;
    private final long retryNanos;
    private final AtomicLongArray lookups = new AtomicLongArray(LookupOutcome.values().length);
    /** Calls of {@link #troubleSeen()} before this time are ignored; any thread. */
    private final AtomicLong troubleIgnoredUntilNanos;

    /** Lookup thread: the lookup scheduled, and when it runs; {@code null} while one runs. */
    private ScheduledFuture<?> next;
    private long nextAtNanos;
    /** Lookup thread: whether a lookup is under way, and whether to look again once it is done. */
    private boolean running;
    private boolean againWhenDone;
    /** Lookup thread: when the last lookup started. */
    private long lastStartNanos;

    private volatile Status status;
    private volatile String lastError;
    private volatile Map<String, Backend> reported;
    private volatile Listener listener;
    private volatile boolean closed;

    /**
     * @throws IllegalArgumentException if a name in the config is not a valid DNS name, or
     *     no server is configured and the system has none
     */
    public DnsResolver(DnsResolverConfig config) {
        this.config = config;
        this.name = absolute(config.name(), "dns.name");
        Optional<Name> discoveryName = config.serverDiscovery().map(n -> absolute(n, "dns.serverDiscovery"));
        this.executor = SharedDnsThread.INSTANCE;
        List<InetSocketAddress> addresses = config.servers().isEmpty()
                ? ResolverConfig.getCurrentConfig().servers() : config.servers();
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("dns.servers is empty and the system has no DNS server configured");
        }
        this.servers = new DnsServers(addresses, config.queryTimeout(), config.maxConcurrency(), executor);
        this.backendLookup = new BackendLookup(config, name, discoveryName, servers, toString());
        this.records = new RecordTable(config.hardTtl());
        this.outage = new OutageLog(log, this + ": lookups");
        this.retryNanos = config.retryInterval().toNanos();
        long now = System.nanoTime();
        this.troubleIgnoredUntilNanos = new AtomicLong(now);
        this.lastStartNanos = now - retryNanos;
        this.status = new Status(describe(), serverStatuses(), List.of(), Optional.empty(), Optional.empty());
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        executor.execute(() -> lookupBy(System.nanoTime()));
    }

    @Override
    public void resolveNow() {
        executor.execute(() -> {
            if (running) {
                againWhenDone = true;
            } else {
                lookupBy(System.nanoTime());
            }
        });
    }

    /**
     * Looks up again soon, rate-limited: the next lookup is brought forward to one retry
     * interval after the last one started (at once if that has passed), unless a lookup is
     * under way or due sooner anyway; calls within a retry interval of one that counted are
     * ignored. So trouble adds at most one lookup per retry interval, and none during a DNS
     * outage, when lookups already run every retry interval. Never blocks.
     */
    @Override
    public void troubleSeen() {
        long now = System.nanoTime();
        long ignoredUntil = troubleIgnoredUntilNanos.get();
        if (closed || now - ignoredUntil < 0 || !troubleIgnoredUntilNanos.compareAndSet(ignoredUntil, now + retryNanos)) {
            return;
        }
        executor.execute(() -> {
            long earliest = lastStartNanos + retryNanos;
            if (!running) {
                lookupBy(earliest - now > 0 ? earliest : now);
            }
        });
    }

    @Override
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Lookups that ended with {@code outcome} since this resolver was made; for metrics. */
    public long lookups(LookupOutcome outcome) {
        return lookups.get(outcome.ordinal());
    }

    @Override
    public void close() {
        closed = true;
        listener = null;
        executor.execute(() -> {
            if (next != null) {
                next.cancel(false);
                next = null;
            }
        });
    }

    /** What the resolver knows now. */
    public Status status() {
        return status;
    }

    /** Lookup thread: makes sure a lookup runs no later than {@code atNanos}. */
    private void lookupBy(long atNanos) {
        if (closed || next != null && nextAtNanos - atNanos <= 0) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        nextAtNanos = atNanos;
        next = executor.schedule(this::lookup, atNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** Lookup thread. */
    private void lookup() {
        next = null;
        if (closed) {
            return;
        }
        running = true;
        lastStartNanos = System.nanoTime();
        DnsLookupEvent event = new DnsLookupEvent();
        event.begin();
        backendLookup.run(lastStartNanos).whenCompleteAsync((round, error) -> finish(
                error == null ? round : BackendLookup.Round.failed(DnsServers.asFailure(error), null), event),
                executor);
    }

    /** Lookup thread. */
    private void finish(BackendLookup.Round round, DnsLookupEvent event) {
        running = false;
        long now = System.nanoTime();
        LookupOutcome outcome = round.outcome();
        lookups.incrementAndGet(outcome.ordinal());
        Optional<DnsFailure> failure = round.failure();
        long delay;
        if (failure.isPresent()) {
            lastError = failure.get().getMessage();
            outage.failed(now, lastError, "keeping " + records.size() + " known backends, retrying every "
                    + readable(config.retryInterval()));
            delay = retryNanos;
        } else {
            lastError = null;
            outage.succeeded(now);
            records.seen(round.found(), round.failedFamilies(), now);
            delay = outcome == LookupOutcome.EMPTY ? emptyDelay(round.negativeTtlSeconds())
                    : config.queryInterval().toNanos();
        }
        event.end();
        if (event.shouldCommit()) {
            event.name = name.toString();
            event.outcome = outcome.name();
            event.server = round.servers();
            event.backends = records.size();
            event.error = lastError;
            event.commit();
        }
        publish(now);
        if (againWhenDone) {
            againWhenDone = false;
            delay = 0;
        }
        lookupBy(now + delay);
    }

    /** NXDOMAIN or NODATA: the retry interval, or the negative TTL when shorter (RFC 2308), not under 1 s. */
    private long emptyDelay(long negativeTtlSeconds) {
        if (negativeTtlSeconds < 0) {
            return retryNanos;
        }
        return Math.min(retryNanos, Math.max(TimeUnit.SECONDS.toNanos(negativeTtlSeconds), MIN_NEGATIVE_DELAY_NANOS));
    }

    private void publish(long now) {
        Map<String, Backend> backends = records.backends();
        Instant wall = Instant.now();
        status = new Status(describe(), serverStatuses(), records.statuses(now, wall), Optional.of(wall),
                Optional.ofNullable(lastError));
        Listener current = listener;
        if (current != null && !closed && !backends.equals(reported)) {
            reported = Map.copyOf(backends);
            log.info("{}: {} backends: {}", this, backends.size(), backends.keySet());
            current.onBackends(reported);
        }
    }

    private List<ServerStatus> serverStatuses() {
        return servers.all().stream().map(DnsServers.Server::status).toList();
    }

    private static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
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

    /** {@code ip:port}, with brackets around IPv6: a backend's own name. */
    static String format(InetSocketAddress address) {
        return new Backend(address).name();
    }

    @Override
    public String toString() {
        return "DnsResolver[" + describe() + "]";
    }

    /** The one thread every DNS resolver's lookups run on; it must stay a single thread. */
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
